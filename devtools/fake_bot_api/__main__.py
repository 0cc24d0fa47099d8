import sys

from devtools.fake_bot_api.process import main

sys.exit(main())

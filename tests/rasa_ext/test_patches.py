import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event, SlotSet, UserUttered

from rasa_ext import patches


def test_action_responses_are_still_validated():
    patches.apply()
    action = RemoteAction("action_x", None)
    assert action._validate_action_result({"events": [{"event": "slot", "name": "a", "value": 1}], "responses": []})
    with pytest.raises(ValidationError):
        action._validate_action_result({"events": [{"event": "slot"}], "responses": []})


def test_event_type_lookup_is_unchanged():
    patches.apply()
    assert Event.resolve_by_type("slot") is SlotSet and Event.resolve_by_type("user") is UserUttered
    assert Event.resolve_by_type("nope", SlotSet) is SlotSet and Event.resolve_by_type("topic") is None
    with pytest.raises(ValueError):
        Event.resolve_by_type("nope")

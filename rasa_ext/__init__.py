"""Everything Rasa-specific.

Loaded by the Rasa server: the Indonesian tokenizer, a leaner SQL tracker store, start-up
performance fixes, and the server entry point that applies them. Used elsewhere, without
importing Rasa (a test checks): intent names for topics (`intents`), Rasa's NLU result read as
topics (`nlu_result`), the NLU training data read as examples (`training_data`), and erasing a
participant's conversation from the tracker store (`tracker_erasure`).
"""

"""One turn of the dialogue: the message read in the light of the conversation, and what to do.

`plan()` is pure: it takes the message (text, NLU result, whether it is a button),
the conversation state and the knowledge base's search index, and returns a `Move`.
The action server carries the move out (speaks, opens tickets, sets slots).

Order of precedence, first match wins:
1. buttons: their payload says exactly what the participant chose; a reply (Telegram's "reply") to a
   staff message goes to that ticket;
2. an answer to what the assistant asked last: the complaint story, the reply to
   "was this helpful?", yes/no to the offer of a ticket, a choice among options;
3. details for an open hand-off or complaint ticket (a clear new question is still answered);
4. small talk, hand-off, complaint and ticket status;
5. a knowledge question: a complete question on its own wins over old context; a
   follow-up leans on the conversation; a long message is answered by its main problem
   (`conversation/questions.py`, which the planner builds on).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional

from conversation import followup, long_messages
from conversation.moves import (ANSWER_MOVE, ATTACH, CLARIFY_MOVE, COMPLAINT_ASK, COMPLAINT_CANCEL, COMPLAINT_OPEN,
                                DECLINE_OFFER, DIALOGUE, EMPTY, FALLBACK_MOVE, FEEDBACK_MOVE, HANDOFF, REQUEST_TICKET,
                                Message, Move)
from conversation.questions import SURE_TOPIC, QuestionReader, answered
from conversation.reading import (HELPFUL, STILL_FAILING, UNHELPFUL, after_aside, after_courtesy, asks_for_person,
                                  asks_ticket_status, asks_to_complain, asks_what_now, asks_when_answered,
                                  complaint_story, follow_up_cues, is_account_topic, is_aside, is_personal, is_question,
                                  only_asks_to_complain, pick_ordinal, problem_phrased, read_feedback, wishes_to_complain,
                                  yes_or_no)
from conversation.state import CLARIFY, COMPLAINT, FEEDBACK, GUESS, OFFER_TICKET, ConversationState
from kb.answering import ANSWER, CLARIFY as KB_CLARIFY, FALLBACK, OUT_OF_SCOPE, Decision, NluSignal, Option
from kb.topics import is_kb_topic

DIALOGUE_INTENTS = ("greet", "goodbye", "thanks", "bot_challenge", "menu", "set_language", "ticket_status")

# A dialogue intent below this confidence does not take a long message that names a problem.
DIALOGUE_OVERRIDE_CONFIDENCE = 0.8

# Below this, a dialogue intent only wins when the message means nothing to the knowledge base.
DIALOGUE_CONFIDENCE = 0.5

CANCEL_WORDS = ("batal", "batalkan", "cancel", "tidak jadi", "gak jadi", "ga jadi", "nggak jadi", "stop", "nevermind",
                "never mind")

MIN_STORY_WORDS = 3

# A classifier this sure of a knowledge topic turns "mau lapor" + a story into a question, not a complaint.
CLEAR_TOPIC = 0.6

# A yes or no in words is this short (longer messages say more than yes or no).
YES_NO_WORDS = 4

# A typed reply to "which one?" that starts like this points at one of the options.
SELECTING_WORDS = frozenset({"yang", "itu", "pilih", "nomor", "opsi", "untuk", "buat", "kalau", "the", "option", "that",
                             "this", "for"})

# Intents a message without a letter or digit ("🙏", "👍") may still carry.
SMALL_TALK_WITHOUT_WORDS = ("thanks", "greet", "goodbye", "affirm", "deny")


@dataclass
class Planner(QuestionReader):
    """The turn's move: sections 1-4 here; the knowledge question (5) is read by `QuestionReader`."""

    # ---- entry point -----------------------------------------------------------------
    def plan(self, message: Message, state: ConversationState) -> Move:
        if message.is_payload:
            return self._button(message, state)
        text = message.text.strip()
        if not self.index.normalizer.raw_words(text) and not text.strip("?!.…,;:-_*/\\ "):
            return Move(EMPTY)
        if not any(ch.isalnum() for ch in text):
            small_talk = self._small_talk(message, state) if message.intent in SMALL_TALK_WITHOUT_WORDS else None
            return small_talk or Move(EMPTY)  # "👍?" read as affirm is a question, not a yes: nothing to do
        if message.replied_ticket and not (message.intent in ("thanks", "goodbye") and len(text.split()) <= 4):
            return Move(ATTACH, question=text, ticket=message.replied_ticket, how="reply_to_staff")
        rest = after_courtesy(text)
        if rest is not None:  # "makasih. bikinin pantun dong": the thanks says nothing about what follows
            message, text = self._reread(message, rest), rest
        if asks_ticket_status(text) and state.pending != COMPLAINT or state.open_ticket and asks_when_answered(text):
            return Move(DIALOGUE, intent="ticket_status")  # whatever the classifier's confidence
        for reader in (self._pending_complaint, self._pending_offer, self._pending_feedback, self._pending_clarify,
                       self._open_ticket):
            move = reader(message, state)
            if move is not None:
                # "what if my bank account has been closed?" typed under "which one?": the phrase decides too.
                return self._sibling_phrased(move, text) if reader == self._pending_clarify else move
        move = self._small_talk(message, state)
        if move is not None and move.kind == DIALOGUE and message.nlu.confidence < DIALOGUE_CONFIDENCE:
            # An unsure "goodbye" for "sampe kuliah jg?": a knowledge reading that finds something wins.
            knowledge = self._knowledge(message, state)
            # A lone "did you mean …?" for "bang mau nanya dikit" is a guess at nothing: the greeting stands.
            found = knowledge.kind == ANSWER_MOVE or knowledge.kind == CLARIFY_MOVE and len(knowledge.options) > 1
            return knowledge if found else move
        return move or self._knowledge(message, state)

    # ---- 1. buttons ------------------------------------------------------------------
    def _button(self, message: Message, state: ConversationState) -> Move:
        intent = message.intent
        if intent == "affirm":
            if state.pending == FEEDBACK:
                return Move(FEEDBACK_MOVE, helpful=True, entry_id=state.last_entry)
            if state.pending == OFFER_TICKET:
                return Move(REQUEST_TICKET, question=state.last_question or "")
            return Move(DIALOGUE, intent="yes_no")
        if intent == "deny":
            if state.pending == FEEDBACK:
                return Move(FEEDBACK_MOVE, helpful=False, entry_id=state.last_entry)
            if state.pending == OFFER_TICKET:
                return Move(DECLINE_OFFER)
            if state.pending in (CLARIFY, GUESS):
                return Move(FALLBACK_MOVE, question=state.last_question or "", how="none_of_these")
            return Move(DIALOGUE, intent="yes_no")
        if intent == "request_ticket":
            return Move(REQUEST_TICKET, question=state.last_question or "")
        if intent == "human_handoff":
            return Move(HANDOFF, ticket=state.open_ticket)
        if intent == "complaint":
            return Move(COMPLAINT_ASK)
        topic = message.nlu.topic
        if topic and is_kb_topic(topic):
            entry = self.index.entry(message.entity("faq_id") or "")
            if entry is not None:
                return Move(ANSWER_MOVE, entry_id=entry.id, score=1.0, question=state.last_question or "",
                            how="button")
            entries = [e for e in self.index.entries if e.topic == topic]
            if len(entries) == 1:
                return Move(ANSWER_MOVE, entry_id=entries[0].id, score=1.0, how="button")
            if entries:
                return Move(CLARIFY_MOVE, options=tuple(Option(e.id, e.topic, 1.0) for e in entries[:3]),
                            how="button")
        if intent in DIALOGUE_INTENTS:
            return Move(DIALOGUE, intent=intent)
        return Move(DIALOGUE, intent="menu")

    # ---- 2. answers to the assistant's own questions ---------------------------------
    def _pending_complaint(self, message: Message, state: ConversationState) -> Optional[Move]:
        if state.pending != COMPLAINT:
            return None
        words = " ".join(self.index.normalizer.words(message.text))
        if words in CANCEL_WORDS or message.intent == "deny" and len(words.split()) <= 3:
            return Move(COMPLAINT_CANCEL)
        if message.intent in ("greet", "goodbye", "menu") and len(words.split()) <= 3:
            return None  # moving on: small talk resets the pending question
        if len(words.split()) < MIN_STORY_WORDS:
            return Move(COMPLAINT_ASK, how="too_short")
        return self._complaint(message.text.strip(), message)

    def _pending_offer(self, message: Message, state: ConversationState) -> Optional[Move]:
        if state.pending != OFFER_TICKET:
            return None
        if message.intent == "human_handoff":
            return Move(HANDOFF, ticket=state.open_ticket)
        reading = read_feedback(message.text)
        short = len(message.text.split()) <= 6
        answer = yes_or_no(message.text)  # the question was yes/no: the words decide, the intent helps
        if answer is None and self._yes_or_no(message):
            answer = message.intent == "affirm"
        # "masih gagal" (or a longer "bah, masih gitu juga") to "pass it to staff?" is a yes.
        persisting = reading == STILL_FAILING and (short or not is_question(message.text))
        if message.intent == "request_ticket" or answer is True or persisting:
            return Move(REQUEST_TICKET, question=state.last_question or "")
        if answer is False:
            return Move(DECLINE_OFFER)
        return None  # a new message: read it as such

    def _pending_feedback(self, message: Message, state: ConversationState) -> Optional[Move]:
        if state.pending != FEEDBACK:
            return None
        reading = read_feedback(message.text)
        if reading is None and self._yes_or_no(message):
            reading = HELPFUL if message.intent == "affirm" else UNHELPFUL
        if reading is None or reading == HELPFUL and is_question(message.text):
            return None  # "what if the company I worked for closed down?" is a question, not a thanks
        standalone = self._decide(message.text, message.nlu, state)
        if self._new_question(standalone, state, message.text, reading):
            return None  # "sudah bisa, tapi sekarang OTP tidak masuk": the new problem is answered
        if reading == HELPFUL:
            if message.intent == "thanks":
                return Move(DIALOGUE, intent="thanks", helpful=True, entry_id=state.last_entry)
            return Move(FEEDBACK_MOVE, helpful=True, entry_id=state.last_entry)
        if state.open_ticket:
            return Move(ATTACH, question=message.text.strip(), ticket=state.open_ticket, how="still_failing")
        return Move(FEEDBACK_MOVE, helpful=False, entry_id=state.last_entry, question=state.last_question or "",
                    how=reading)

    def _reread(self, message: Message, text: str) -> Message:
        """The message reduced to `text`, read again by the NLU (search alone without it)."""
        nlu = self._nlu_for(text, NluSignal()) or NluSignal()
        intent = nlu.topic if nlu.topic and not is_kb_topic(nlu.topic) else None
        return replace(message, text=text, nlu=nlu, intent=intent)

    def _yes_or_no(self, message: Message) -> bool:
        """A short yes or no the classifier is sure of ("iya", "nggak"); "brp bulan?" is not one."""
        return message.intent in ("affirm", "deny") and message.nlu.confidence >= DIALOGUE_CONFIDENCE and \
            len(message.text.split()) <= YES_NO_WORDS and not is_question(message.text) and \
            not follow_up_cues(message.text).any

    def _new_question(self, decision: Decision, state: ConversationState, text: str, reading: Optional[str]) -> bool:
        """A complete question of its own, about something else than what was just answered."""
        if decision.kind != ANSWER or decision.best is None or decision.best.topic == state.topic:
            return False
        if reading in (STILL_FAILING, UNHELPFUL):
            return is_question(text) and not follow_up_cues(text).leans_on_context and not asks_what_now(text)
        return True

    def _pending_clarify(self, message: Message, state: ConversationState) -> Optional[Move]:
        if state.pending not in (CLARIFY, GUESS) or not state.offered:
            return None
        if message.intent in DIALOGUE_INTENTS + ("human_handoff", "complaint") and \
                message.nlu.confidence >= DIALOGUE_OVERRIDE_CONFIDENCE:
            return None
        failing = read_feedback(message.text) in (STILL_FAILING, UNHELPFUL)
        still_failing = failing and not is_question(message.text)
        if state.pending == GUESS:
            # "masih gagal kak, udh pake wifi jg" to "did you mean …?": nothing was solved. A reply that tells the
            # problem ("gk bisa verifikasi wajah, gagal terus") is read as a message of its own.
            if still_failing and answered(self._decide(message.text, message.nlu, state)) is None:
                return Move(FEEDBACK_MOVE, helpful=False, question=state.last_question or "", how="guess_unhelpful")
            return None
        if still_failing:  # "tried again like you said. Same error."
            return Move(FEEDBACK_MOVE, helpful=False, question=state.last_question or "", how="clarify_unhelpful")
        if long_messages.is_long(message.text):
            return None  # a whole story is a message of its own, not a choice among options
        offered = [e for e in (self.index.entry(i) for i in state.offered) if e is not None]
        picked = pick_ordinal(message.text, len(offered))
        if picked is not None:
            return Move(ANSWER_MOVE, entry_id=offered[picked].id, score=1.0, question=state.last_question or "",
                        how="clarify_pick")
        if message.intent == "deny" and self._yes_or_no(message):
            return Move(FALLBACK_MOVE, question=state.last_question or "", how="none_of_these")
        asked = follow_up_cues(message.text, message.nlu.programs)
        # "ada batas waktunya?", "sy kena phk, cara ngajuinnya gmn?": the one option about what is asked.
        fitting = [e for e in offered if self._covers(e.id, asked.aspect, asked.programs)]
        combined = f"{state.last_question or ''}. {message.text}".strip(". ")
        if len(fitting) == 1 and asked.leans_on_context:
            return Move(ANSWER_MOVE, entry_id=fitting[0].id, score=1.0, question=combined, how="clarify_aspect")
        if failing:
            return Move(FEEDBACK_MOVE, helpful=False, question=state.last_question or "", how="clarify_unhelpful")
        standalone = self._decide(message.text, message.nlu, state)
        if standalone.kind == OUT_OF_SCOPE:
            return None
        offered_topics = {e.topic for e in offered}
        chosen = answered(standalone)
        if chosen is not None and chosen.topic in offered_topics and chosen.nlu_score >= SURE_TOPIC:
            # "penerima pensiun bulanan, harus konfirmasi tiap berapa bulan?": alone, surely one of the options
            # (its "berapa" is not a question about an amount).
            return Move(ANSWER_MOVE, entry_id=chosen.entry_id, score=chosen.score, question=combined,
                        how="clarify_reply_alone", offer_staff=self._offer(chosen.topic, combined))
        program = asked.programs[0] if asked.programs else None  # "utk santunan kematian" names JKM
        # "jkp, sy kena phk" when one option is JKP's: that option, whatever else the reply says.
        of_program = [e for e in offered if program and e.programs[:1] == [program]]
        names_one = len(of_program) == 1 and not is_question(message.text)
        if chosen is not None and chosen.topic not in offered_topics and not names_one and \
                not asked.leans_on_context and \
                (is_question(message.text) or chosen.nlu_score >= CLEAR_TOPIC):
            return None  # a new, complete question, or "saldo jht sy maksudnya": none of the options
        if len(fitting) == 1 and is_question(message.text) and not names_one:
            return Move(ANSWER_MOVE, entry_id=fitting[0].id, score=1.0, question=combined, how="clarify_aspect")
        named = followup.rank(self.index, offered, message.text, program)
        choice = followup.clear_winner(named) if named and named[0].score >= self.config.clarify_threshold else None
        words = self.index.normalizer.words(message.text)
        selects = len(words) <= 3 or words[0] in SELECTING_WORDS  # "yg karena phk" points at an option
        if program and not of_program or asked.leans_on_context and not asked.programs:
            # "buat klaim jkm" when no JKM entry was offered: not a pick, a new program. "cara klaimnya?" names no
            # option ("Cara cek saldo JHT" shares only its "cara"): it asks something, read with the question.
            choice = None
        if of_program and asked.aspect and not fitting:
            # "jkp dapatnya brp?" under JKP's eligibility and applying: JKP's amounts, not the option naming JKP.
            ranked = followup.rank(self.index, followup.entries_for(self.index, str(program), asked.aspect), combined,
                                   program)
            if ranked:
                return self._answer_case(ranked, combined, how="clarify_aspect_lookup", may_ask=False)
        if names_one:
            return Move(ANSWER_MOVE, entry_id=of_program[0].id, score=1.0, question=combined, how="clarify_pick")
        shared = {self._program(e.id) for e in offered}
        if asked.aspect and not fitting and not asked.programs and len(shared) == 1 and None not in shared:
            # "biaya pengobatannya ditanggung?" under JKK's options, none of them about amounts: JKK's amounts.
            ranked = followup.rank(self.index, followup.entries_for(self.index, str(shared.pop()), asked.aspect),
                                   combined)
            if ranked:
                return self._answer_case(ranked, combined, how="clarify_aspect_lookup", may_ask=False)
        # "saldo jht sy maksudnya": the reply alone is about the option its words point at.
        if choice is not None and (selects or chosen is not None and chosen.topic == choice.topic):
            return Move(ANSWER_MOVE, entry_id=choice.id, score=named[0].score, question=combined,
                        how="clarify_pick")
        both = follow_up_cues(combined, message.nlu.programs)
        if program and both.aspect:  # "how much will I get?" + "from the job loss program": (JKP, amount)
            ranked = followup.rank(self.index, followup.entries_for(self.index, program, both.aspect), combined,
                                   program)
            if ranked:
                return self._answer_case(ranked, combined, how="clarify_reply", may_ask=False)
        decision = self._decide(combined, self._nlu_for(combined, message.nlu))
        if decision.kind == ANSWER:  # "sy resign 3 bulan lalu": read together, the question is complete
            return self._answer(decision, combined, message.text, how="clarify_reply")
        if choice is not None:
            return Move(ANSWER_MOVE, entry_id=choice.id, score=named[0].score, question=combined,
                        how="clarify_pick")
        informative = bool(named) and named[0].score >= self.config.clarify_threshold
        if decision.kind == KB_CLARIFY and decision.options and informative:
            # Asked once already: answer the likeliest and offer the others under it, rather than ask again
            # (when the reply itself says something the options know about; "14 juli" does not).
            best, others = decision.options[0], decision.options[1:]
            return Move(ANSWER_MOVE, entry_id=best.entry_id, score=best.score, question=combined,
                        how="clarify_reply", offer_staff=self._offer(best.topic, combined),
                        related=tuple(o.entry_id for o in others), related_kind="other_cases")
        return None

    # ---- 3. details for an open ticket -----------------------------------------------
    def _open_ticket(self, message: Message, state: ConversationState) -> Optional[Move]:
        if not state.open_ticket:
            return None
        if message.intent in DIALOGUE_INTENTS + ("human_handoff", "complaint", "affirm", "deny") and \
                len(message.text.split()) <= 4:
            return None  # "makasih", "halo", "ok": not details
        decision = self._decide(message.text, message.nlu)
        if decision.kind == OUT_OF_SCOPE and (is_question(message.text) or not is_personal(message.text)):
            return None  # "transfernya masuk ke rekening bri sy" names a bank, but tells the participant's own case
        aside = after_aside(message.text)  # "ga jadi, nanya aja: iuran bpu brp?": the question after the opening
        if aside is not None:
            decision = self._decide(aside, self._nlu_for(aside, message.nlu))
        general = (is_question(message.text) and not is_personal(message.text)) or is_aside(message.text)
        chosen = answered(decision)
        if chosen is not None and general and not is_account_topic(chosen.topic) and chosen.topic != state.topic:
            # A clear new question of general interest ("kantor buka sabtu?"): answered, not filed.
            return None if aside is None else self._answer(decision, aside, aside, how="aside")
        return Move(ATTACH, question=message.text.strip(), ticket=state.open_ticket, how="details")

    def _complaint(self, story: str, message: Message) -> Move:
        """The complaint becomes a ticket; when the story is clearly a knowledge question too ("mau lapor" +
        "ada kecelakaan kerja tadi pagi"), its answer comes with the ticket number."""
        topic = message.nlu.topic
        if topic and is_kb_topic(topic) and message.nlu.confidence >= CLEAR_TOPIC:
            decision = self._decide(story, message.nlu)
            chosen = answered(decision)
            if chosen is not None and chosen.topic == topic:
                return Move(COMPLAINT_OPEN, question=story, entry_id=chosen.entry_id, how="with_answer")
        return Move(COMPLAINT_OPEN, question=story)

    # ---- 4. small talk and the dialogue's own intents ----------------------------------
    def _small_talk(self, message: Message, state: ConversationState) -> Optional[Move]:
        intent = message.intent
        substantive = long_messages.is_long(message.text) or len(self.index.tokens(message.text)) >= 5
        for_person = asks_for_person(message.text)
        if intent == "human_handoff" and substantive and message.nlu.confidence < DIALOGUE_CONFIDENCE and \
                not for_person:
            return None  # an unsure hand-off for a long story ("… tolong lah dibantu"): its problem is answered
        if intent == "human_handoff" or (not substantive and for_person):
            return Move(HANDOFF, ticket=state.open_ticket)
        if for_person and self._decide(message.text, message.nlu, state).kind == FALLBACK:
            # "woy mana orangnya, dr td ngomong sm mesin": asking for staff, with no question of its own to answer
            # (a story that only mentions staff, "sudah bicara dengan petugas tapi …", has one).
            return Move(HANDOFF, ticket=state.open_ticket)
        if intent != "complaint" and message.nlu.confidence < CLEAR_TOPIC and only_asks_to_complain(message.text):
            return Move(COMPLAINT_ASK)  # "lapor kak", read by an unsure classifier as a work-accident report
        if intent != "complaint" and wishes_to_complain(message.text) and not is_question(message.text):
            # "Sy mau buat pengaduan. Satpam di kantor kasar …" that the classifier does not read as a complaint.
            story = complaint_story(message.text)
            if story is not None and self._decide(message.text, message.nlu, state).kind != ANSWER:
                return self._complaint(story, message)
        if intent == "complaint":
            story = complaint_story(message.text)
            if story is None:
                return Move(COMPLAINT_ASK)
            if substantive and message.nlu.confidence < DIALOGUE_CONFIDENCE and not asks_to_complain(message.text):
                return None  # an unsure "complaint" for a long problem story: read as a question (staff offered)
            decision = self._decide(message.text, message.nlu)
            if decision.kind == ANSWER and not asks_to_complain(message.text):
                return self._answer(decision, message.text, message.text, how="complaint_answered")
            return self._complaint(story, message)
        if intent in DIALOGUE_INTENTS:
            if substantive and message.nlu.confidence < DIALOGUE_OVERRIDE_CONFIDENCE and intent != "ticket_status":
                return None  # a long message that names a problem is a question, whatever it opens with
            if intent != "ticket_status" and problem_phrased(message.text):
                return None  # "kapan selesai perbaikan aplikasinya?" is not a goodbye
            if intent == "ticket_status" and not message.entity("ticket_id") and substantive and \
                    message.nlu.confidence < DIALOGUE_OVERRIDE_CONFIDENCE:
                return None
            return Move(DIALOGUE, intent=intent)
        if intent in ("affirm", "deny"):
            # "bisa didownload ga?" is a question and "gak bisa di bukak" a problem, not a no.
            if substantive or is_question(message.text) or problem_phrased(message.text):
                return None
            return Move(DIALOGUE, intent="yes_no")
        return None

    # ---- the state after a move -------------------------------------------------------
    def after(self, move: Move, state: ConversationState, message: Message,
              ticket: Optional[str] = None) -> ConversationState:
        """The conversation state once `move` is carried out (`ticket`: the number it opened, if any)."""
        kind = move.kind
        if kind == ANSWER_MOVE:
            entry = self.index.entry(move.entry_id or "")
            if entry is None:
                return state.but(pending=None)
            program = followup.program_of(entry, message.nlu.programs, state.program)
            question = move.question or state.last_question
            return state.but(pending=FEEDBACK, last_entry=entry.id, topic=entry.topic, program=program,
                             last_question=question, offered=())
        named = follow_up_cues(message.text, message.nlu.programs).programs if not message.is_payload else ()
        if kind == CLARIFY_MOVE:
            return state.but(pending=CLARIFY, offered=tuple(o.entry_id for o in move.options),
                             last_question=move.question or state.last_question,
                             topic=move.options[0].topic if move.options else state.topic,
                             program=named[0] if named else state.program)
        if kind == FEEDBACK_MOVE:
            return state.but(pending=None if move.helpful else OFFER_TICKET)
        if kind == COMPLAINT_ASK:
            return state.but(pending=COMPLAINT)
        if kind in (HANDOFF, COMPLAINT_OPEN, REQUEST_TICKET, ATTACH):
            return state.but(pending=None, offered=(), open_ticket=ticket or state.open_ticket)
        if kind == DIALOGUE and move.intent in ("greet", "goodbye"):
            return ConversationState(open_ticket=state.open_ticket)
        if kind == EMPTY or kind == DIALOGUE and move.intent in ("set_language", "bot_challenge"):
            return state
        if kind == FALLBACK_MOVE and not message.is_payload:  # the next message may complete it
            guessed = move.related if move.related_kind == "guesses" and ticket is None else ()
            return state.but(pending=GUESS if guessed else None, offered=guessed,
                             last_question=message.text.strip(), program=named[0] if named else state.program)
        return state.but(pending=None, offered=())

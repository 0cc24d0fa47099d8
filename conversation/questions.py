"""Reading a knowledge question in the light of the conversation: a complete question on its own wins over old
context; a follow-up leans on the conversation's program, topic and last answer; a long message is answered by its
main problem. `QuestionReader` holds this reading and the helpers it shares with the planner, which builds on it."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import List, Optional, Tuple

from conversation import followup, long_messages
from conversation.moves import ANSWER_MOVE, CLARIFY_MOVE, DECLINE, FALLBACK_MOVE, FEEDBACK_MOVE, Message, Move, Parser
from conversation.reading import (STILL_FAILING, FollowUpCues, asks_requirement, complaining, contested, decides_across,
                                  follow_up_cues, is_account_topic, is_aside, is_personal, is_question, is_waiting_topic, persists,
                                  problem_phrased, named_topic, read_feedback, settling_phrased, topic_phrased, topics_named)
from conversation.state import FEEDBACK, GUESS, ConversationState
from kb.answering import (ANSWER, CLARIFY as KB_CLARIFY, CLARIFY_CHOICES, FALLBACK, OUT_OF_SCOPE, Decision,
                          FusionConfig, NluSignal, Option, decide, in_field, one_per_topic, outside_scope)
from kb.search import SearchIndex

LONG_MESSAGE_SUPPORT = 1  # how many of the whole message's best topics a main problem may be chosen from
MAIN_PROBLEM_PARTS = 2  # how many of a long message's likeliest parts may be its main problem
# A long message's question is looked up among this many of the whole message's best topics.
STORY_SUPPORT = 4
QUESTION_SUPPORT = 3  # how many of a long message's best topics its own question may choose from
# Without its venting, a message may be answered on any of the whole message's best topics.
VENTING_SUPPORT = 3
# A message read with the previous question must itself point (this search score) at the topic found.
CONTEXT_SUPPORT = 0.2
# A statement narrowing the last question starts like this ("for self-employed", "kalau yang ...").
REFINING_WORDS = frozenset({"for", "kalau", "untuk", "buat", "yang", "bagi", "khusus", "if", "as"})
REFINING_PAIRS = frozenset({"what about", "how about", "what if", "bagaimana kalau", "terus kalau", "lalu kalau"})
# Below this classifier confidence, a standalone answer about another program yields to the conversation's.
UNSURE_TOPIC = 0.5
# Aspects that ask how the last answer's matter is done rather than about another matter.
MANNER_ASPECTS = ("online",)
# Aspects that ask what a program's matter is (not its time, progress or channel): with the program, a lookup.
WHAT_ASPECTS = ("documents", "eligibility", "amount", "apply")

# What a program's claim starts with, in this order: who may claim, how to apply, which papers.
GUIDE_ASPECTS = ("eligibility", "apply", "documents")
# The program of a work accident: after it, treatment costs are ours, not a health-insurance matter.
WORK_ACCIDENT_PROGRAM = "JKK"
# A classifier this sure of a complete question is not overruled by the conversation's program.
SURE_TOPIC = 0.8
# A message whose own words find an entry this well (search score) names a subject of its own.
NEW_SUBJECT_SEARCH = 0.6
SHORT_QUESTION_WORDS = 5  # "bisa di alfamart?": too short to stand alone after an answer
# A message not understood but in our field gets its best guesses as buttons (a fused score this high).
GUESS_FLOOR = 0.08
MAX_GUESSES = 3


def answered(decision: Decision) -> Optional[Option]:
    """The entry an answer decision chose; None for a clarification, a fallback or out of scope."""
    return decision.best if decision.kind == ANSWER else None


@dataclass
class QuestionReader:
    index: SearchIndex
    config: FusionConfig = field(default_factory=FusionConfig)
    parse: Optional[Parser] = None  # the NLU for a rewritten question; search alone without it

    # ---- 5. knowledge questions ------------------------------------------------------
    def _knowledge(self, message: Message, state: ConversationState) -> Move:
        move = self._read_question(message, state)
        if move.kind == CLARIFY_MOVE and state.topic and move.options and move.options[0].topic == state.topic:
            # "Which one?" when the likeliest is what the conversation is about already: that one, others as buttons.
            best = move.options[0]
            again = best.entry_id == state.last_entry
            return Move(ANSWER_MOVE, entry_id=best.entry_id, score=best.score, question=move.question,
                        how="context_topic_again" if again else "context_topic",
                        offer_staff=again or self._offer(best.topic, message.text),
                        related=tuple(o.entry_id for o in move.options[1:]), related_kind="other_cases")
        return self._with_named_option(self._problem_phrased(self._sibling_phrased(move, message.text), message.text),
                                       message.text)

    def _with_named_option(self, move: Move, text: str) -> Move:
        """"mau pengkinian data kok gagal terus", asked "which one?" among the app's problems: the topic the message
        names outright is offered too, after the reading's options."""
        topic = named_topic(text) if move.kind == CLARIFY_MOVE else None
        if topic is None or topic in {o.topic for o in move.options}:
            return move
        ranked = self._ranked_in_topic(topic, text)
        if not ranked:
            return move
        return replace(move, options=move.options + (Option(ranked[0].entry.id, topic, ranked[0].score),))

    def _problem_phrased(self, move: Move, text: str) -> Move:
        """A message otherwise unclear (not understood, or "which one?" without that problem among the options) that
        tells a concrete problem in a phrase ("ko gak bisa di buka yah") is answered with that problem's best entry;
        a settling phrase ("salah sandi") answers it even when its topic is among the options."""
        if move.kind not in (CLARIFY_MOVE, FALLBACK_MOVE):
            return move
        offered = [o.entry_id for o in move.options] if move.kind == CLARIFY_MOVE else list(move.related)
        settled = settling_phrased(text) or self._deciding_phrase_offered(text, move)
        topic = settled or problem_phrased(text)
        if topic is None:
            return move
        if settled is None and topic in {e.topic for e in (self.index.entry(i) for i in offered) if e is not None}:
            return move  # already offered among the others, and no phrase precise enough to settle it
        ranked = self._ranked_in_topic(topic, text)
        if not ranked:
            return move
        return Move(ANSWER_MOVE, entry_id=ranked[0].entry.id, score=ranked[0].score, question=move.question or text,
                    how=f"{move.how}_problem", offer_staff=self._offer(topic, text))

    def _deciding_phrase_offered(self, text: str, move: Move) -> Optional[str]:
        """"nama di buku tabungan beda sama ktp, pencairan gagal gk?" with the bank account among the options: a
        phrase that decides across families (cues.yml topic_phrases_across) settles "which one?" for its topic."""
        phrased = topic_phrased(text) if move.kind == CLARIFY_MOVE else None
        return phrased if phrased is not None and decides_across(phrased) and \
            phrased in {o.topic for o in move.options} else None

    def _sibling_phrased(self, move: Move, text: str) -> Move:
        """An answer whose sibling topic a phrase of the message decides for ("klaim sdh diproses tp pembayaran
        gagal": the bank account, not the claim's progress) becomes that sibling's best entry."""
        entry = self.index.entry(move.entry_id or "") if move.kind == ANSWER_MOVE else None
        phrased = topic_phrased(text) if entry is not None else None
        if entry is None or phrased is None or phrased == entry.topic:
            return move
        # Another family only for a phrase that decides across families, when the reading also considered its
        # topic ("nama di buku tabungan beda sama ktp" read as correcting one's data: the bank account) or only the
        # conversation's context chose the answer ("trus kalau mau daftar bpjs tk buat pedagang gmn?" after a JKP
        # answer is joining, not how to apply for JKP).
        considered = phrased in {o.topic for o in move.options} or move.how.startswith("follow_up")
        if phrased.split(".")[0] != entry.topic.split(".")[0] and not (decides_across(phrased) and considered):
            return move
        ranked = self._ranked_in_topic(phrased, text)
        if not ranked:
            return move
        chosen = next((o for o in move.options if o.entry_id == entry.id), None)
        if chosen is not None and chosen.nlu_score >= UNSURE_TOPIC and contested(entry.topic, phrased):
            # The phrase and a classifier sure of the other reading disagree on two neighbouring problems: ask.
            options = (Option(ranked[0].entry.id, phrased, ranked[0].score), chosen)
            return Move(CLARIFY_MOVE, options=options, question=move.question, how=f"{move.how}_contested",
                        offer_staff=move.offer_staff)
        return replace(move, entry_id=ranked[0].entry.id, score=ranked[0].score, how=f"{move.how}_phrased",
                       related=(), related_kind="")

    def _read_question(self, message: Message, state: ConversationState) -> Move:
        text = message.text.strip()
        standalone = self._ours_despite_classifier(text, self._decide(text, message.nlu, state), state)
        cues = follow_up_cues(text, message.nlu.programs)
        if standalone.kind == OUT_OF_SCOPE and not self._leans_on_answer(text, state, cues):
            return Move(DECLINE, question=text)
        if state.pending == FEEDBACK and standalone.candidates and persists(text) and \
                standalone.candidates[0].entry_id == state.last_entry:
            # The same problem told again right after its answer: the answer did not settle it.
            return Move(FEEDBACK_MOVE, helpful=False, entry_id=state.last_entry,
                        question=state.last_question or text, how="same_answer")
        standalone = self._of_story_program(standalone, cues)
        has_context = bool(state.topic or state.program)
        named = self._program_topic_named(text, state, cues, standalone)
        if named is not None:  # "yg lapor siapa?" after a JKK answer: how a work accident is reported
            move = self._within_topic(state, f"{state.last_question}. {text}", how="topic_word", floor=0.0,
                                      topic=named)
            if move is not None:
                return move
        move = self._wait_again(text, state, cues, standalone) or \
            self._requirement_of_answer(text, state, cues, standalone)
        if move is not None:
            return move
        if has_context and cues.leans_on_context and cues.any:
            move = self._follow_up(message, state, cues)
            if move is not None and not self._sure_otherwise(standalone, move, cues):
                return move
        if has_context and cues.same_matter and state.topic and answered(standalone) is None:
            # "bisa diwakilin abang sy gk? sy lg di luar kota": the same matter, done through someone else.
            move = self._within_topic(state, f"{state.last_question}. {text}", how="follow_up",
                                      floor=self.config.clarify_threshold)
            if move is not None:
                return move
        if has_context and state.last_question and self._refines(text, standalone, state, cues):
            combined = f"{state.last_question}. {text}"
            move = self._within_topic(state, combined, how="refined", floor=self.config.clarify_threshold)
            if move is not None:
                return move
        if state.last_question and not state.topic and not is_question(text) and not long_messages.is_long(text):
            # After a question that was not understood, "otp buat daftar jmo" completes it.
            combined = f"{state.last_question}. {text}"
            decision = self._decide(combined, self._nlu_for(combined, message.nlu))
            if decision.kind == ANSWER:
                return self._answer(decision, combined, text, how="completes")
        if complaining(text) and not long_messages.is_long(text):
            move = self._without_venting(message, standalone)
            if move is not None:
                return move
        chosen = answered(standalone)
        if chosen is not None:
            entry = self.index.entry(chosen.entry_id)
            if state.program and not cues.programs and entry is not None and entry.programs \
                    and state.program not in entry.programs:
                # "which documents should I prepare?" after a JHT question: JHT's, not another program's.
                move = None
                if cues.aspect and not is_aside(text) and (cues.leans_on_context or chosen.nlu_score < SURE_TOPIC):
                    move = self._aspect_lookup(message, state, cues)
                elif chosen.nlu_score < UNSURE_TOPIC:
                    move = self._same_for_program(text, state.program, entry)
                if move is not None and move.kind == ANSWER_MOVE:
                    return move
            move = self._program_aspect(text, chosen, cues)
            if move is not None:
                return move
            return self._answer(standalone, text, text, how="standalone")
        if (has_context or state.last_question) and (cues.aspect or cues.programs) and not long_messages.is_long(text) \
                and not self._new_subject(standalone, cues):
            move = self._aspect_lookup(message, state, cues)
            if move is not None and move.kind == ANSWER_MOVE:
                return move
        if standalone.kind == KB_CLARIFY:
            move = self._option_of_program_aspect(text, standalone, cues) or self._option_named(text, standalone, cues)
            if move is not None:
                return move
        move = self._claim_guide(text, standalone, cues)
        if move is not None:
            return move
        if long_messages.is_long(text):
            move = self._long_message(message, standalone)
            if move is not None and not self._against_story(move, cues):
                return move
        if state.topic and is_question(text) and len(text.split()) <= SHORT_QUESTION_WORDS:
            # "bisa di alfamart?", "harus pake email ya?": too short to stand alone; the conversation's topic.
            move = self._within_topic(state, f"{state.last_question}. {text}", how="follow_up",
                                      floor=self.config.clarify_threshold)
            if move is not None:
                return move
        if state.last_question:  # also after a question that was not understood: the two read together
            move = self._with_context(message, state, standalone)
            if move is not None:
                return move
        if standalone.kind == FALLBACK and state.topic and (cues.elaborate or cues.refers_back) and \
                not long_messages.is_long(text):
            # "pdhl ktp sy asli, knp bisa gitu?", "benerinnya dmn? sy udh gk kerja lg": not understood alone, but it
            # asks why, or does the last answer's matter: the conversation's topic, not "please rephrase".
            move = self._within_topic(state, f"{state.last_question}. {text}", floor=0.0,
                                      how="elaborate" if cues.elaborate else "follow_up")
            if move is not None:
                return move
        return self._from_decision(standalone, text, text)

    def _ours_despite_classifier(self, text: str, decision: Decision, state: ConversationState) -> Decision:
        """"rusak per tanggal sekarang tidak bisa di buka": a message the classifier puts outside our field but that
        tells one of our concrete problems in a phrase, and names no other domain (the scope guard stays silent), is
        not declined: it goes on as not understood, where its phrase answers it."""
        if decision.kind != OUT_OF_SCOPE or (settling_phrased(text) or problem_phrased(text)) is None or \
                outside_scope(self.index.normalizer.tokens(text), at_work=state.program == WORK_ACCIDENT_PROGRAM):
            return decision
        return Decision(FALLBACK, [], decision.candidates)

    def _requirement_of_answer(self, text: str, state: ConversationState, cues: FollowUpCues,
                               standalone: Decision) -> Optional[Move]:
        """"hrs pake nik ktp ya? email gmail bisa?" right after how to create a JMO account: what the answer's matter
        needs, though the reading alone leans to a sibling topic (changing the account's e-mail). An aspect asked
        ("what papers do we need?") is looked up as such."""
        chosen = standalone.best if standalone.kind in (ANSWER, KB_CLARIFY) else None
        if state.pending != FEEDBACK or not state.topic or chosen is None or chosen.topic == state.topic or cues.aspect or \
                chosen.topic.split(".")[0] != state.topic.split(".")[0] or not asks_requirement(text):
            return None
        return self._within_topic(state, f"{state.last_question}. {text}", how="requirement",
                                  floor=self.config.clarify_threshold)

    def _leans_on_answer(self, text: str, state: ConversationState, cues: FollowUpCues) -> bool:
        """"cara bikinnya gimana kak?" right after an answer: made only of follow-up words, it asks about that answer,
        whatever the classifier makes of it alone. A word outside our scope ("puskesmas") still declines it."""
        return state.pending == FEEDBACK and bool(state.topic) and cues.leans_on_context and cues.any and \
            not outside_scope(self.index.normalizer.tokens(text), at_work=state.program == WORK_ACCIDENT_PROGRAM)

    def _of_story_program(self, decision: Decision, cues: FollowUpCues) -> Decision:
        """The program the story tells, when the message names none ("bapak meninggal krn sakit" is JKM's, "hurt
        at the factory" JKK's), something search and the classifier do not see: another program's entries are
        dropped from "which one?" (and the app's topics, unless the app is named), and an answer from another program,
        or none, becomes a choice among the story's."""
        told = cues.programs[0] if cues.told_by_story else None
        if told is None or decision.kind == OUT_OF_SCOPE:
            return decision
        def of_app(option: Option) -> bool:  # "I crashed my motorbike" is no app crash
            return not cues.names_app and option.topic.startswith("jmo.")

        if decision.kind == KB_CLARIFY:
            kept = [o for o in decision.options if self._program(o.entry_id) in (None, told)]
            if any(of_app(o) for o in kept):  # the story's own entries take the app's places
                kept = one_per_topic([o for o in kept if not of_app(o)] +
                                     [o for o in decision.candidates if self._program(o.entry_id) == told],
                                     limit=CLARIFY_CHOICES)
            if not kept or kept == decision.options:
                return decision
            return Decision(ANSWER if len(kept) == 1 else KB_CLARIFY, kept, decision.candidates)
        if decision.kind == ANSWER and self._program(decision.options[0].entry_id) in (None, told) and \
                not of_app(decision.options[0]):
            return decision
        of_story = one_per_topic([o for o in decision.candidates if self._program(o.entry_id) == told],
                                 limit=CLARIFY_CHOICES)
        if not of_story:
            return decision
        return Decision(ANSWER if len(of_story) == 1 else KB_CLARIFY, of_story, decision.candidates)

    def _program_aspect(self, text: str, chosen: Option, cues: FollowUpCues) -> Optional[Move]:
        """(program, aspect) looked up, as for a follow-up, when the classifier is not sure of an answer that misses
        what the message says: "hrs siapin berkas apa aja utk cairin jht nya" answered from JKM (the one program
        the message names is another), or "What does the job loss benefit give me?" read as how to apply (a whole
        phrase asks another aspect of the answer's program than its entry covers)."""
        entry, answered, aspect = self.index.entry(chosen.entry_id), self._program(chosen.entry_id), cues.aspect
        named = cues.programs[0] if len(set(cues.programs)) == 1 and not cues.told_by_story else None
        if aspect is None or chosen.nlu_score >= SURE_TOPIC or entry is None or answered is None:
            return None
        if named is not None and named != answered:
            program, how = named, "named_program"
        elif cues.aspect_phrased and aspect not in entry.aspects and named in (None, answered):
            program, how = answered, "phrased_aspect"
        else:
            return None
        ranked = followup.rank(self.index, followup.entries_for(self.index, program, aspect, primary_only=True),
                               text, program)
        if not ranked:
            return None
        return Move(ANSWER_MOVE, entry_id=ranked[0].entry.id, score=ranked[0].score, question=text, how=how,
                    offer_staff=self._offer(ranked[0].entry.topic, text))

    def _option_of_program_aspect(self, text: str, standalone: Decision, cues: FollowUpCues) -> Optional[Move]:
        """"mau ngajuin jkp caranya gmn", unsure between three topics: the one program the message names and the
        aspect it asks are a lookup; its entry answers when its topic is among the options the reading found."""
        if len(set(cues.programs)) != 1 or cues.aspect not in WHAT_ASPECTS or long_messages.is_long(text):
            return None  # "how long" of one's own claim is its status, "di aplikasi" a place; a story has its reading
        if self._case_of_every_aspect(standalone, cues.programs[0]):
            return None
        ranked = followup.rank(self.index, followup.entries_for(self.index, cues.programs[0], cues.aspect,
                                                                primary_only=True), text, cues.programs[0])
        offered = {o.topic for o in standalone.options}
        if not ranked or ranked[0].entry.topic not in offered:
            return None
        best = ranked[0].entry
        return Move(ANSWER_MOVE, entry_id=best.id, score=ranked[0].score, question=text, how="program_aspect",
                    offer_staff=self._offer(best.topic, text))

    def _option_named(self, text: str, standalone: Decision, cues: FollowUpCues) -> Optional[Move]:
        """"I crashed my motorbike on the way to work, who has to report it?", unsure among the accident's topics: the
        one program the message names or tells, and the words of one of its topics (cues.yml topic_words), pick that
        topic among the options."""
        named = topics_named(text, {cues.programs[0].lower()}) if len(set(cues.programs)) == 1 else ()
        chosen = [o for o in standalone.options if len(named) == 1 and o.topic == named[0]]
        if not chosen:
            return None
        return Move(ANSWER_MOVE, entry_id=chosen[0].entry_id, score=chosen[0].score, question=text, how="topic_word",
                    offer_staff=self._offer(chosen[0].topic, text))

    def _claim_guide(self, text: str, standalone: Decision, cues: FollowUpCues) -> Optional[Move]:
        """"sy mau cairin jht" and no more, not answered: the program's own entry on who may claim, on how to apply
        and on the papers are the options, rather than whatever else the few words match ("Ketentuan rekening")."""
        if standalone.kind not in (KB_CLARIFY, FALLBACK) or not (cues.claims and cues.leans_on_context) or \
                len(set(cues.programs)) != 1 or cues.aspect not in (None, "apply"):
            return None
        program = cues.programs[0]
        if self._case_of_every_aspect(standalone, program, own_topic=True):
            return None
        best: List[Option] = []  # the program's best-fitting entry of each aspect, in the guide's order
        for aspect in GUIDE_ASPECTS:
            ranked = followup.rank(self.index, followup.entries_for(self.index, program, aspect, primary_only=True),
                                   text, program)
            if ranked:
                best.append(Option(ranked[0].entry.id, ranked[0].entry.topic, ranked[0].score))
        options = one_per_topic(best, limit=len(GUIDE_ASPECTS))
        if len(options) < 2:
            return None
        return Move(CLARIFY_MOVE, options=tuple(options), question=text, how="claim_guide")

    def _case_of_every_aspect(self, standalone: Decision, program: str, own_topic: bool = False) -> bool:
        """The likeliest option is a case of `program` with every aspect ("klaim 10%": part of JHT), which no
        (program, aspect) lookup reaches (`own_topic`: of the program's own topics, not one it shares)."""
        top = self.index.entry(standalone.options[0].entry_id) if standalone.options else None
        return top is not None and not top.aspects and program in top.programs and \
            (not own_topic or top.topic.split(".")[0] == program.lower())

    def _ranked_in_topic(self, topic: str, text: str) -> List[followup.Ranked]:
        """The entries of `topic`, best fit for `text` first."""
        return followup.rank(self.index, [e for e in self.index.entries if e.topic == topic], text)

    def _covers(self, entry_id: str, aspect: Optional[str], programs: Tuple[str, ...]) -> bool:
        entry = self.index.entry(entry_id)
        return entry is not None and aspect in entry.aspects and all(p in entry.programs for p in programs)

    def _wait_again(self, text: str, state: ConversationState, cues: FollowUpCues,
                    standalone: Decision) -> Optional[Move]:
        """"biasanya nunggu brp lama kalau udh dpt nomor?" after the queue, "how long exactly?" after JHT's waiting
        month: a short question of how long, after an answer that is itself a wait, asks that wait again (not the
        claim-time standards), unless it names the claim's processing or money or another program."""
        last = self.index.entry(state.last_entry or "")
        if last is None or last.topic != state.topic or not is_waiting_topic(state.topic) or \
                cues.aspect != "duration" or cues.processing or any(p != state.program for p in cues.programs) or \
                len(text.split()) > SHORT_QUESTION_WORDS + 4:
            return None
        chosen = answered(standalone)
        if chosen is not None and chosen.nlu_score >= SURE_TOPIC and chosen.topic != state.topic:
            return None
        return Move(ANSWER_MOVE, entry_id=last.id, score=1.0, question=f"{state.last_question}. {text}",
                    how="follow_up_again")

    def _program_topic_named(self, text: str, state: ConversationState, cues: FollowUpCues,
                             standalone: Decision) -> Optional[str]:
        """The topic of the conversation's program (or of its topic's family: "where is it?" after the office
        hours) that the message asks for in its own words (cues.yml topic_words; "who has to report it?" after
        the reporting deadline stays on reporting), unless the message names another program or is surely
        about something else."""
        families = {f for f in ((state.program or "").lower(), (state.topic or "").split(".")[0]) if f}
        if not families or any(p != state.program for p in cues.programs):
            return None
        topics = topics_named(text, families)
        chosen = answered(standalone)
        if len(topics) != 1 or chosen is not None and chosen.nlu_score >= SURE_TOPIC and chosen.topic != topics[0]:
            return None
        return topics[0]

    def _against_story(self, move: Move, cues: FollowUpCues) -> bool:
        """An answer from another program than the one the message names or its story tells (a part of a long
        message read alone: "kena phk … sy denger ada program jkp, sy termasuk?" is not JHT's)."""
        told = cues.programs[0] if len(set(cues.programs)) == 1 else None
        return told is not None and move.kind == ANSWER_MOVE and self._program(move.entry_id or "") not in (None, told)

    def _program(self, entry_id: str) -> Optional[str]:
        """The one program an entry is about; None for a JMO, service or shared entry."""
        entry = self.index.entry(entry_id)
        return entry.programs[0] if entry is not None and entry.programs and not followup.shared(entry) else None

    def _sure_otherwise(self, standalone: Decision, move: Move, cues: FollowUpCues) -> bool:
        """"bisa ambil sebagian jht gk? syaratnya?": a complete question of the program it names, which the
        classifier is sure is about another of that program's topics than the lookup found."""
        chosen = answered(standalone)
        if chosen is None or chosen.nlu_score < SURE_TOPIC or not cues.programs or move.kind != ANSWER_MOVE:
            return False
        entry, found = self.index.entry(chosen.entry_id), self.index.entry(move.entry_id or "")
        return entry is not None and found is not None and cues.programs[0] in entry.programs and \
            entry.topic != found.topic

    def _new_subject(self, standalone: Decision, cues) -> bool:
        """"eh kartu kpj sy ilang, gmn ngurusnya" after a JKK answer: the message names a subject of its own that
        belongs to no program (a card, the app, the office); its "how" is not a question about the old program.
        An entry of another program is not a new subject: "do I qualify?" stays with the conversation's program."""
        if cues.leans_on_context or not standalone.candidates:
            return False
        best = standalone.candidates[0]
        entry = self.index.entry(best.entry_id)
        return entry is not None and best.search_score >= NEW_SUBJECT_SEARCH and not entry.programs

    def _refines(self, text: str, standalone: Decision, state: ConversationState, cues: FollowUpCues) -> bool:
        """"for self-employed people", "saldo jht, sy msh kerja 11 thn": a statement that narrows the last
        question rather than asking a new one."""
        if long_messages.is_long(text) or state.pending not in (FEEDBACK, GUESS, None):
            return False
        last = self.index.entry(state.last_entry or "")
        covered = last.programs if last is not None and state.program is None else [state.program]
        if any(p not in covered for p in cues.programs):
            return False  # another program: the same question about it, not a narrower one
        if is_question(text) and cues.aspect and last is not None and last.aspects and cues.aspect not in last.aspects:
            return False  # "kalau dapet, nominalnya brp?" after who is eligible asks another aspect: looked up
        words = self.index.normalizer.words(text)
        starts_refining = bool(words) and (words[0] in REFINING_WORDS or " ".join(words[:2]) in REFINING_PAIRS)
        if is_question(text):  # "klo telat gmn?", "what about those offering help for a fee?"
            return starts_refining and len(words) <= SHORT_QUESTION_WORDS + 6 and standalone.kind != ANSWER
        supports = any(o.topic == state.topic and o.search_score >= CONTEXT_SUPPORT for o in standalone.candidates[:5])
        if starts_refining:
            return True
        # A complete question on another topic always wins over the old context.
        chosen = answered(standalone)
        if chosen is None or chosen.topic == state.topic:
            return supports
        # "klaim jht, blm ngajuin cm mau tau dulu" after "berapa lama?": a statement naming the conversation's
        # program, not a question, that the classifier alone reads as another topic but that read with the
        # question stays on the conversation's ("oh ya, status kepesertaan sy nonaktif" is a new matter).
        if not cues.programs or is_question(text) or is_aside(text) or state.pending != FEEDBACK or \
                read_feedback(text) is not None:
            return False
        combined = f"{state.last_question}. {text}"
        together = self._decide(combined, self._nlu_for(combined, NluSignal()))
        return together.kind in (ANSWER, KB_CLARIFY) and bool(together.candidates) and \
            together.candidates[0].topic == state.topic

    def _follow_up(self, message: Message, state: ConversationState, cues) -> Optional[Move]:
        """A message that only makes sense with the previous turn: (program, aspect) or "why"."""
        last = self.index.entry(state.last_entry or "")
        combined = f"{state.last_question or ''}. {message.text}".strip(". ")
        within_last = all(p in last.programs for p in cues.programs) if last is not None else False
        if cues.same_matter and within_last and state.topic:  # "bisa diwakilin?", "bisa ajukan ulang?": the same matter
            move = self._within_topic(state, combined, how="follow_up", floor=self.config.clarify_threshold)
            if move is not None:
                return move
        if last is not None and not last.aspects and within_last and not cues.elaborate:
            # The conversation is about something without aspects (rates, a JMO problem): stay on it.
            move = self._within_topic(state, combined, how="follow_up")
            if move is not None:
                return move
        move = self._aspect_lookup(message, state, cues)
        if move is not None:
            return move
        if cues.programs and state.topic:
            # "and for JKP?" after an entry without aspects: the same kind of question for the other program.
            rewritten = f"{combined} {cues.programs[0]}"
            decision = self._decide(rewritten, self._nlu_for(rewritten, message.nlu))
            if decision.kind in (ANSWER, KB_CLARIFY):
                return self._from_decision(decision, combined, rewritten, how="follow_up")
        if cues.elaborate and state.topic:
            move = self._within_topic(state, combined, how="elaborate", floor=0.0)
            if move is not None:
                return move
        if cues.aspect:
            decision = self._decide(combined, self._nlu_for(combined, message.nlu))
            if decision.kind in (ANSWER, KB_CLARIFY):
                return self._from_decision(decision, combined, combined, how="follow_up")
        return None

    def _aspect_lookup(self, message: Message, state: ConversationState, cues) -> Optional[Move]:
        """(program, aspect): the program named or the conversation's, the aspect asked or the last answer's."""
        last = self.index.entry(state.last_entry or "")
        combined = f"{state.last_question or ''}. {message.text}".strip(". ")
        if cues.elaborate and not cues.programs and last is not None and not last.aspects and state.topic:
            # "kenapa gitu? apa krn kamera hp sy jelek?" after the face check: why that problem happens, not an
            # aspect ("hp": online) of the program the problem belongs to.
            return self._within_topic(state, combined, how="elaborate", floor=0.0)
        program = cues.programs[0] if cues.programs else state.program
        aspect = cues.aspect or (last.aspects[0] if cues.programs and last and last.aspects else None)
        if aspect is None and cues.programs and state.last_question and last is None:
            # "How much will I get?" not understood, then "from the job loss program": (JKP, amount).
            aspect = follow_up_cues(state.last_question).aspect
        short = len(message.text.split()) <= SHORT_QUESTION_WORDS + 2
        if aspect and not program and state.topic and (cues.leans_on_context or short):
            # "harus ke kantor ya? bawa apa aja?" after how to correct one's data: that topic's entry on it (a
            # topic of no program has no aspects: any of its entries).
            siblings = [e for e in self.index.entries if e.topic == state.topic and (aspect in e.aspects or
                                                                                      not e.programs)]
            ranked = followup.rank(self.index, siblings, combined)
            return self._answer_case(ranked, combined, how="follow_up") if ranked else None
        if not (program and aspect):
            return None
        switched = bool(cues.programs) and program != state.program
        if not switched and last is not None and not last.aspects and state.topic and \
                state.topic.split(".")[0] == program.lower():
            # "trus syaratnya?" after taking part of the JHT: a topic of the program's own that has no aspects covers
            # every aspect of it (a JMO topic of the program, like the face check, does not).
            ranked = self._ranked_in_topic(state.topic, combined)
            if ranked:
                return self._answer_case(ranked, combined, how="follow_up")
        if not switched and cues.aspect in MANNER_ASPECTS and last is not None and cues.aspect in last.aspects:
            # "kalau lewat hp bisa?" after how to track a claim: the same thing done online, which that answer says.
            return Move(ANSWER_MOVE, entry_id=last.id, score=1.0, question=combined, how="follow_up_again")
        entries = followup.entries_for(self.index, program, aspect, primary_only=switched)
        # "and for JKP?" after the claim-time standards of every program: that table answers for JKP too.
        shared = last if switched and last is not None and followup.covers(last, program, aspect) else None
        if shared is not None and shared not in entries:
            entries.append(shared)
        # After a switch, the old program's words would pull towards the old program's entries.
        ranked = followup.rank(self.index, entries, message.text if switched and shared is None else combined,
                               program)
        return self._answer_case(ranked, combined, how="follow_up") if ranked else None

    def _same_for_program(self, text: str, program: str, entry) -> Optional[Move]:
        """"does it matter that my contract was cut short?" after a JKP answer, read by an unsure classifier as
        JHT's: the conversation's program has an entry on the same aspect that the message's own words fit."""
        siblings = [e for e in self.index.entries if program in e.programs and set(e.aspects) & set(entry.aspects)]
        ranked = followup.rank(self.index, siblings, text)
        if not ranked or ranked[0].score < CONTEXT_SUPPORT:
            return None
        best = ranked[0]
        return Move(ANSWER_MOVE, entry_id=best.entry.id, score=best.score, question=text, how="context_program",
                    offer_staff=self._offer(best.entry.topic, text))

    def _within_topic(self, state: ConversationState, combined: str, how: str,
                      floor: Optional[float] = None, topic: Optional[str] = None) -> Optional[Move]:
        """The entry of the conversation's topic (or `topic`) that fits the question so far; the same entry again
        is said as such and comes with the offer of staff (the general answer did not settle it)."""
        ranked = self._ranked_in_topic(topic or state.topic or "", combined)
        floor = self.config.answer_threshold if floor is None else floor
        if not ranked or ranked[0].score < floor:
            return None
        best = ranked[0].entry
        again = best.id == state.last_entry
        # "kenapa?" answered by the same entry again: the general answer did not settle it, so staff are offered.
        return Move(ANSWER_MOVE, entry_id=best.id, score=ranked[0].score, question=combined,
                    how=f"{how}_again" if again else how,
                    offer_staff=(again and how == "elaborate") or self._offer(best.topic, combined))

    def _answer_case(self, ranked, question: str, how: str, may_ask: bool = True) -> Move:
        """The best-fitting entry; close entries of the same topic (other cases) become buttons under it,
        close entries of other topics make it a clarification (unless the participant was just asked)."""
        best = ranked[0]
        close = [r for r in ranked[1:] if best.score - r.score < followup.CLEAR_MARGIN]
        if may_ask and any(r.entry.topic != best.entry.topic for r in close):
            options = tuple(Option(r.entry.id, r.entry.topic, r.score) for r in ranked[:3])
            return Move(CLARIFY_MOVE, options=options, question=question, how=how)
        others = tuple(r.entry.id for r in ranked[1:3] if r.entry.topic == best.entry.topic or not may_ask)
        return Move(ANSWER_MOVE, entry_id=best.entry.id, score=best.score, question=question, how=how,
                    offer_staff=self._offer(best.entry.topic, question), related=others if close else (),
                    related_kind="other_cases" if close else "")

    def _with_context(self, message: Message, state: ConversationState, standalone: Decision) -> Optional[Move]:
        """Not clear alone: read with the previous question, but only towards a topic the message itself
        supports."""
        combined = f"{state.last_question}. {message.text}"
        decision = self._decide(combined, self._nlu_for(combined, message.nlu))
        chosen = answered(decision)
        if chosen is None:
            return None
        supported = {o.topic for o in standalone.candidates[:5] if o.search_score >= CONTEXT_SUPPORT}
        if chosen.topic in supported:
            return self._answer(decision, combined, message.text, how="context")
        return None

    def _long_message(self, message: Message, standalone: Decision) -> Optional[Move]:
        """Answer the main problem; name a second problem as a button."""
        if settling_phrased(message.text) in {o.topic for o in standalone.options}:
            return None  # "email sudah benar, sandi juga sama …" settles the whole message's "which one?" itself
        parts = long_messages.parts_of(message.text, self.index)
        if not parts:
            return None
        decision = standalone
        # A part's answer must also be among the whole message's best topics: one sentence alone misleads.
        plausible = {o.topic for o in standalone.candidates[:LONG_MESSAGE_SUPPORT]}
        readings: List[Decision] = []  # the likeliest parts read alone, kept for the options below
        for part in [p for p in parts if not p.praise][:MAIN_PROBLEM_PARTS]:
            candidate = self._decide(part.text, self._nlu_for(part.text, message.nlu))
            readings.append(candidate)
            part_answer = answered(candidate)
            if part_answer is not None and part_answer.topic in plausible:  # the whole message agrees
                if self._leans(standalone):
                    decision = candidate
                break
        if answered(decision) is None:
            decision = self._asked_in_story(message, parts, standalone, readings) or decision
        chosen = answered(decision)
        if chosen is None:
            return self._question_of_story(message, parts, standalone) or \
                self._parts_options(message, readings, standalone)
        move = self._answer(decision, message.text, message.text, how="long_message")
        second = self._second_problem(message, parts, chosen.topic)
        if second is not None:
            move = replace(move, related=(second,), related_kind="second_problem")
        return move

    def _leans(self, whole: Decision) -> bool:
        """Whether a long message as a whole leans towards its best topic by the answer's margin. Split evenly
        ("resign sebulan, mau klaim JHT tapi saldo tidak tersedia. Kartu saya ada dua"), one sentence of it does not
        settle which problem the participant means: on the labelled reviews such sentences were wrong 10 times in 25."""
        if whole.kind != KB_CLARIFY or len(whole.options) < 2:
            return True
        return whole.options[0].score - whole.options[1].score >= self.config.margin

    def _asked_in_story(self, message: Message, parts, standalone: Decision,
                        readings: List[Decision]) -> Optional[Decision]:
        """"… Sebenarnya siapa yg wajib lapor kecelakaan itu, dan paling lambat berapa hari?": when neither the
        whole nor its likeliest parts decide, the participant's own question decides among the whole message's
        likeliest topics."""
        plausible = {o.topic for o in one_per_topic(standalone.candidates, limit=QUESTION_SUPPORT)}
        for i, part in enumerate(p for p in parts if not p.praise):
            if not part.question:
                continue
            reading = readings[i] if i < len(readings) else self._decide(part.text, self._nlu_for(part.text,
                                                                                                  message.nlu))
            asked = answered(reading)
            if asked is not None and asked.topic in plausible:
                return reading
        return None

    def _question_of_story(self, message: Message, parts, standalone: Decision) -> Optional[Move]:
        """"Mamak saya meninggal … Yang harus kami siapkan apa aja?": in a story without a failure, the question
        sentence leans on the story as a follow-up leans on the previous turn: its aspect, the story's program,
        among the story's likeliest topics."""
        if any(p.failure for p in parts):
            return None  # a story with a concrete failure: the failure is the problem, not the question's aspect
        question = next((p for p in parts if p.question and not p.praise), None)
        aspect = follow_up_cues(question.text).aspect if question is not None else None
        if aspect is None or not standalone.candidates:
            return None
        named = follow_up_cues(message.text, message.nlu.programs).programs
        best = self.index.entry(standalone.candidates[0].entry_id)
        program = named[0] if named else (best.programs[0] if best is not None and best.programs else None)
        if program is None:
            return None
        plausible = {o.topic for o in standalone.candidates[:STORY_SUPPORT]}
        ranked = [r for r in followup.rank(self.index, followup.entries_for(self.index, program, aspect), message.text,
                                           program) if r.entry.topic in plausible]
        return self._answer_case(ranked, message.text, how="story_question", may_ask=False) if ranked else None

    def _parts_options(self, message: Message, readings: List[Decision], standalone: Decision) -> Optional[Move]:
        """A long message about our field that is not understood as a whole: what its likeliest parts are about,
        as options ("Maksud Anda yang mana?") when the whole gives no guesses, rather than "please rephrase"."""
        if standalone.kind != FALLBACK or not in_field(self.index.normalizer.tokens(message.text)) or \
                self._guesses(standalone, message.text):
            return None  # the whole message's own best guesses come first
        ranked = [d.options for d in readings if d.kind in (ANSWER, KB_CLARIFY)]
        options: List[Option] = []
        for rank in range(3):  # each part's best first, then each part's second best
            for found in ranked:
                if len(found) > rank and len(options) < MAX_GUESSES and \
                        found[rank].topic not in {o.topic for o in options}:
                    options.append(found[rank])
        if not options:
            return None
        return Move(CLARIFY_MOVE, options=tuple(options), question=message.text, how="long_parts",
                    offer_staff=complaining(message.text) and is_personal(message.text))

    def _second_problem(self, message: Message, parts, main_topic: str) -> Optional[str]:
        """Another concrete failure the message names, read by the NLU on its own: an entry id, or None."""
        others = [p for p in parts if p.failure and not p.praise and p.best and p.best.topic != main_topic]
        for part in others[:2]:  # the first may be the main problem itself, worded differently
            decision = self._decide(part.text, self._nlu_for(part.text, message.nlu))
            chosen = answered(decision)
            if chosen is not None and chosen.topic != main_topic:
                return chosen.entry_id
        return None

    def _without_venting(self, message: Message, standalone: Decision) -> Optional[Move]:
        """"saldo jht sy berkurang, kecewa banget sudah 2 bulan!!": the venting clause pulls the reading
        elsewhere; the problem read without it, if the whole message already had it in first place."""
        parts = long_messages.parts_of(message.text, self.index, clauses=True)
        kept = [p.text for p in parts if not p.praise]
        if not kept or len(kept) == len(parts):
            return None
        focus = ". ".join(kept)
        decision = self._decide(focus, self._nlu_for(focus, message.nlu))
        plausible = {o.topic for o in standalone.candidates[:VENTING_SUPPORT]}
        chosen = answered(decision)
        if chosen is not None and chosen.topic in plausible:
            return self._answer(decision, message.text, message.text, how="without_venting")
        return None

    # ---- helpers ---------------------------------------------------------------------
    def _decide(self, text: str, nlu: Optional[NluSignal], state: Optional[ConversationState] = None) -> Decision:
        # "uang pengobatannya ditanggung?" after a work accident is about its treatment, not BPJS Kesehatan.
        at_work = state is not None and state.program == WORK_ACCIDENT_PROGRAM
        return decide(text, self.index, nlu, self.config, at_work=at_work)

    def _nlu_for(self, text: str, fallback: NluSignal) -> Optional[NluSignal]:
        """The NLU reading of a rewritten question (combined turns); search alone when no parser is set."""
        if self.parse is None:
            return None
        try:
            return self.parse(text)
        except Exception:  # the NLU is a signal: search alone still answers
            return None

    def _offer(self, topic: str, text: str) -> bool:
        """A complaint about the participant's own data or claim, or a problem the message says the usual steps
        did not fix ("udah uninstall install ulang tetap sama"): staff are offered with the answer."""
        return is_account_topic(topic) and is_personal(text) and complaining(text) or \
            read_feedback(text) == STILL_FAILING

    def _answer(self, decision: Decision, question: str, text: str, how: str) -> Move:
        best = answered(decision)
        assert best is not None, "only an answer decision is said as an answer"
        return Move(ANSWER_MOVE, entry_id=best.entry_id, score=best.score, question=question, how=how,
                    options=tuple(decision.candidates[:5]), offer_staff=self._offer(best.topic, text))

    def _from_decision(self, decision: Decision, question: str, text: str, how: str = "standalone") -> Move:
        if decision.kind == ANSWER:
            return self._answer(decision, question, text, how)
        if decision.kind == KB_CLARIFY:
            return Move(CLARIFY_MOVE, options=tuple(decision.options), question=question, how=how,
                        offer_staff=complaining(text) and is_personal(text))
        if decision.kind == OUT_OF_SCOPE:
            return Move(DECLINE, question=question)
        return Move(FALLBACK_MOVE, options=tuple(decision.candidates[:5]), question=question, how=how,
                    related=self._guesses(decision, text), related_kind="guesses")

    def _guesses(self, decision: Decision, text: str) -> Tuple[str, ...]:
        """"Gak bisa dibuka, android 13": not understood, but about our field; the likeliest entries, one per
        topic, are better than a plain "please rephrase"."""
        if not in_field(self.index.normalizer.tokens(text)):
            return ()
        return tuple(o.entry_id for o in one_per_topic(decision.candidates, limit=MAX_GUESSES, floor=GUESS_FLOOR))

"""The results of a program's evaluations, for its organizers and leaders: the speaker evaluation per session,
the organization evaluation, the BerAKHLAK self-assessment before and after, the test scores before and
after, and the facilitators' assessment with its bands.

Every part is read in a constant number of queries, whatever the number of participants, sessions or
responses: answers are counted, summed and averaged in the database (``values()`` + ``annotate()``),
never loaded one by one.

Speaker evaluations are anonymous. What is read of them is counts, sums and the comments' text, never who
answered: no result object of a speaker form holds a response, an enrollment or a name. A speaker form with
fewer than ``MIN_RESPONSES`` responses shows no average, no distribution and no comment (with the list of
who has not answered, an organizer could tell whose ratings they are); its answers count in the averages
over all sessions only where that stays safe (see ``aspects_across``). Any form's comments are read only
from ``MIN_RESPONSES`` responses on, and they are sorted by their text, never in the order they were
sent."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Q, Sum

from participants.selectors import enrollments_for_program
from retreat.models import Cohort
from sessions.models import Speaker

from ..builtin import BERAKHLAK
from ..enums import BANDS, LOWEST_BAND, Phase, QuestionKind, QuestionnaireKind, band
from ..models import Answer, Form, Question, Response
from .assessment import assessment_scores

MIN_RESPONSES = 3  # below this, a speaker form's results are hidden, and any form's comments
MIN_RESPONSES_FOR_COMMENTS = MIN_RESPONSES
TEXT_KINDS = (QuestionKind.SHORT, QuestionKind.LONG)
VALUE_NAMES = {key: name for key, name, _statements in BERAKHLAK}
ALL = "*"  # the whole program, in the sums of berakhlak_results


def _average(total, count, digits: int = 2) -> float | None:
    return round(total / count, digits) if count else None


# --- Scale questions: the speaker and the organization evaluation ---------------------------------------


@dataclass
class AspectResult:
    """One scale question of a form: its key (the aspect), text, and how it was answered."""

    key: str
    text: str
    scale_max: int
    labels: list
    distribution: list[int]  # answers per point, 1 … scale_max (all 0 when hidden)
    hidden: bool = False  # too few answers to show without telling whose they are

    @property
    def count(self) -> int:
        return sum(self.distribution)

    @property
    def total(self) -> int:
        return sum(point * n for point, n in enumerate(self.distribution, start=1))

    @property
    def average(self) -> float | None:
        return _average(self.total, self.count)

    @property
    def points(self) -> list[dict]:
        """Per point: the point, its label, how many chose it and their share (percent of the answers)."""
        if self.hidden:
            return []
        count = self.count
        return [
            {
                "point": point,
                "label": self.labels[point - 1] if point - 1 < len(self.labels) else "",
                "count": n,
                "percent": round(n * 100 / count) if count else 0,
            }
            for point, n in enumerate(self.distribution, start=1)
        ]


@dataclass
class CommentGroup:
    question: str
    texts: list[str]

    @property
    def counted(self) -> list[tuple[str, int]]:
        """The same comment written by several people once, with how many wrote it: most written first."""
        counts = Counter(text.strip() for text in self.texts)
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


@dataclass
class FormResult:
    """The results of one form (a speaker session's, or the organization evaluation's). ``comments`` is
    None when they are not shown: fewer than MIN_RESPONSES responses, or not asked for. A speaker form
    with fewer than MIN_RESPONSES responses is ``hidden``: no aspect (so no average, no distribution) and
    no comment; its answers are kept in ``pooled`` for the sums over all sessions only, never to show."""

    form: Form
    responses: int
    aspects: list[AspectResult]
    comments: list[CommentGroup] | None = None
    speakers: list = field(default_factory=list)
    hidden: bool = False
    pooled: list[AspectResult] = field(default_factory=list, repr=False)

    @property
    def title(self) -> str:
        return self.form.session.title if self.form.session_id else self.form.questionnaire.title

    @property
    def session(self):
        return self.form.session if self.form.session_id else None

    @property
    def scale_max(self) -> int:
        return max((aspect.scale_max for aspect in self.aspects), default=4)

    @property
    def overall(self) -> float | None:
        """The average of every scale answer of the form (each aspect weighs as much as it was answered)."""
        return _average(sum(a.total for a in self.aspects), sum(a.count for a in self.aspects))

    @property
    def comments_hidden(self) -> bool:
        return self.responses < MIN_RESPONSES

    @property
    def comment_count(self) -> int:
        return sum(len(group.texts) for group in self.comments or [])


def _scale_questions(questionnaire_ids) -> dict[int, list[Question]]:
    """Questionnaire id -> its scale questions in the order they are asked (one query)."""
    found = defaultdict(list)
    questions = Question.objects.filter(questionnaire_id__in=questionnaire_ids).select_related("section")
    for question in questions.order_by("questionnaire_id", "section__position", "section_id", "position", "pk"):
        found[question.questionnaire_id].append(question)
    return found


def _form_results(forms: list[Form], *, comments: bool, anonymous: bool = False) -> list[FormResult]:
    """Results of forms already loaded with ``response_count``: two queries for the questions and the scale
    answers, and one more for the comments if asked. ``anonymous`` (speaker forms): a form with fewer than
    MIN_RESPONSES responses is hidden."""
    if not forms:
        return []
    form_ids = [form.pk for form in forms]
    questions = _scale_questions({form.questionnaire_id for form in forms})
    counts = defaultdict(int)  # (form, question, point) -> answers
    scale_answers = (
        Answer.objects.filter(response__form_id__in=form_ids, question__kind=QuestionKind.SCALE, number__isnull=False)
        .values("response__form_id", "question_id", "number")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in scale_answers:
        counts[row["response__form_id"], row["question_id"], row["number"]] = row["n"]
    texts = defaultdict(list)  # (form, question) -> comments
    shown = [form.pk for form in forms if form.response_count >= MIN_RESPONSES]
    if comments and shown:
        rows = (
            Answer.objects.filter(response__form_id__in=shown, question__kind__in=TEXT_KINDS)
            .exclude(text="")
            .values_list("response__form_id", "question_id", "text")
            .order_by()
        )
        for form_id, question_id, text in rows:
            texts[form_id, question_id].append(text)
    results = []
    for form in forms:
        aspects, groups = [], []
        for question in questions[form.questionnaire_id]:
            if question.kind == QuestionKind.SCALE:
                distribution = [counts[form.pk, question.pk, p] for p in range(1, question.scale_max + 1)]
                aspects.append(AspectResult(key=question.key, text=question.text, scale_max=question.scale_max,
                                            labels=list(question.scale_labels or []),
                                            distribution=distribution))  # fmt: skip
            elif question.kind in TEXT_KINDS and texts[form.pk, question.pk]:
                # Sorted by text: the order tells nothing about who wrote what, or when.
                groups.append(CommentGroup(question=question.text,
                                           texts=sorted(texts[form.pk, question.pk], key=str.casefold)))  # fmt: skip
        visible = comments and form.response_count >= MIN_RESPONSES
        hidden = anonymous and 0 < form.response_count < MIN_RESPONSES  # none: nothing to hide
        results.append(FormResult(form=form, responses=form.response_count, aspects=[] if hidden else aspects,
                                  comments=groups if visible else None,
                                  speakers=list(getattr(form.session, "speaker_list", []) if form.session_id else []),
                                  hidden=hidden, pooled=aspects))  # fmt: skip
    return results


def _forms(program, kind):
    return (
        Form.objects.filter(program=program, questionnaire__kind=kind)
        .select_related("questionnaire", "session")
        .annotate(response_count=Count("responses"))
    )


def speaker_results(program, *, comments: bool = False) -> list[FormResult]:
    """One result per speaker session, in the order of the agenda (four or five queries)."""
    forms = list(
        _forms(program, QuestionnaireKind.SPEAKER)
        .filter(session__isnull=False)
        .prefetch_related(Prefetch("session__speakers", Speaker.objects.order_by("name"), to_attr="speaker_list"))
        .order_by("session__starts_at", "session__title", "pk")
    )
    return _form_results(forms, comments=comments, anonymous=True)


def speaker_result(form) -> FormResult:
    """One speaker session's results with its comments (nothing of them below MIN_RESPONSES responses)."""
    form = (
        _forms(form.program_id, QuestionnaireKind.SPEAKER)
        .prefetch_related(Prefetch("session__speakers", Speaker.objects.order_by("name"), to_attr="speaker_list"))
        .get(pk=form.pk)
    )
    return _form_results([form], comments=True, anonymous=True)[0]


def _add(merged: dict, aspect: AspectResult) -> None:
    name = aspect.key or aspect.text
    if name not in merged:
        merged[name] = AspectResult(key=aspect.key, text=aspect.text, scale_max=aspect.scale_max,
                                    labels=aspect.labels, distribution=[0] * aspect.scale_max)  # fmt: skip
    into = merged[name]
    if aspect.scale_max > into.scale_max:
        into.distribution += [0] * (aspect.scale_max - into.scale_max)
        into.scale_max, into.labels = aspect.scale_max, aspect.labels
    for n, count in enumerate(aspect.distribution):
        into.distribution[n] += count


def aspects_across(results: list[FormResult]) -> list[AspectResult]:
    """Every session's answers added up per aspect (key, or text where there is no key), in the order the
    aspects are first asked: how the speakers did on the whole.

    The answers of hidden sessions (fewer than MIN_RESPONSES responses) count only when they are at least
    MIN_RESPONSES together, so that taking the shown sessions away from the sum singles nobody out; an
    aspect with fewer than MIN_RESPONSES answers in all is hidden itself."""
    merged: dict[str, AspectResult] = {}
    withheld: dict[str, AspectResult] = {}
    for result in results:
        for aspect in result.pooled:
            _add(withheld if result.hidden else merged, aspect)
            merged.setdefault(aspect.key or aspect.text, AspectResult(
                key=aspect.key, text=aspect.text, scale_max=aspect.scale_max, labels=aspect.labels,
                distribution=[0] * aspect.scale_max))  # fmt: skip
    for aspect in withheld.values():
        if aspect.count >= MIN_RESPONSES:
            _add(merged, aspect)
    for name, aspect in merged.items():
        answered = aspect.count + (withheld[name].count if name in withheld else 0)
        if aspect.count < MIN_RESPONSES and answered:
            merged[name] = AspectResult(
                key=aspect.key,
                text=aspect.text,
                scale_max=aspect.scale_max,
                labels=aspect.labels,
                distribution=[0] * aspect.scale_max,
                hidden=True,
            )
    return list(merged.values())


def organization_results(program, *, comments: bool = True) -> list[FormResult]:
    """The organization evaluation (normally one form), per question (three or four queries)."""
    forms = list(_forms(program, QuestionnaireKind.ORGANIZATION).order_by("opens_at", "pk"))
    return _form_results(forms, comments=comments)


# --- BerAKHLAK before and after ------------------------------------------------------------------------


@dataclass
class ValueChange:
    key: str
    name: str
    before: float | None
    after: float | None

    @property
    def gain(self) -> float | None:
        return round(self.after - self.before, 2) if self.before is not None and self.after is not None else None


@dataclass
class CohortValues:
    cohort: Cohort
    values: list[ValueChange]


@dataclass
class BerakhlakResults:
    scale_max: int
    responses_before: int
    responses_after: int
    values: list[ValueChange]  # the whole program
    cohorts: list[CohortValues]  # each cohort (when the program has cohorts)
    before: float | None  # every answer of the phase
    after: float | None

    @property
    def gain(self) -> float | None:
        return round(self.after - self.before, 2) if self.before is not None and self.after is not None else None

    @property
    def asked(self) -> bool:
        return bool(self.values)


def berakhlak_results(program) -> BerakhlakResults:
    """The average per core value (``Question.key``) before and after, for the whole program and per
    cohort, on the questionnaire's scale (four queries)."""
    questions = list(
        Question.objects.filter(questionnaire__program=program, questionnaire__kind=QuestionnaireKind.BERAKHLAK,
                                kind=QuestionKind.SCALE)
        .select_related("section")
        .order_by("section__position", "section_id", "position", "pk")
    )  # fmt: skip
    names = {}
    for question in questions:
        key = question.key or question.section.title
        names.setdefault(key, VALUE_NAMES.get(key) or question.section.title or key)
    sums = defaultdict(lambda: [0, 0])  # (phase, key or ALL, cohort id (None: none) or ALL) -> [total, count]
    rows = (
        Answer.objects.filter(response__form__program=program,
                              response__form__questionnaire__kind=QuestionnaireKind.BERAKHLAK,
                              question__kind=QuestionKind.SCALE, number__isnull=False)
        .values("response__form__phase", "question__key", "question__section__title", "response__enrollment__cohort_id")
        .annotate(total=Sum("number"), n=Count("id"))
        .order_by()
    )  # fmt: skip
    for row in rows:
        key = row["question__key"] or row["question__section__title"]
        phase, cohort_id = row["response__form__phase"], row["response__enrollment__cohort_id"]
        for bucket in ((phase, key, ALL), (phase, key, cohort_id), (phase, ALL, ALL)):
            sums[bucket][0] += row["total"]
            sums[bucket][1] += row["n"]
    responses = dict(
        Response.objects.filter(form__program=program, form__questionnaire__kind=QuestionnaireKind.BERAKHLAK)
        .values("form__phase")
        .annotate(n=Count("id"))
        .values_list("form__phase", "n")
        .order_by()
    )
    cohorts = list(Cohort.objects.filter(program=program).order_by("name")) if names else []

    def changes(cohort_id):
        return [
            ValueChange(key=key, name=name, before=_average(*sums[Phase.BEFORE, key, cohort_id]),
                        after=_average(*sums[Phase.AFTER, key, cohort_id]))
            for key, name in names.items()
        ]  # fmt: skip

    return BerakhlakResults(
        scale_max=max((q.scale_max for q in questions), default=5),
        responses_before=responses.get(Phase.BEFORE, 0),
        responses_after=responses.get(Phase.AFTER, 0),
        values=changes(ALL),
        cohorts=[CohortValues(cohort=cohort, values=changes(cohort.pk)) for cohort in cohorts],
        before=_average(*sums[Phase.BEFORE, ALL, ALL]),
        after=_average(*sums[Phase.AFTER, ALL, ALL]),
    )


# --- Test before and after -------------------------------------------------------------------------------


@dataclass
class ScoreRow:
    enrollment: object
    before: float | None
    after: float | None

    @property
    def gain(self) -> float | None:
        return round(self.after - self.before, 1) if self.before is not None and self.after is not None else None


@dataclass
class ScoreResults:
    questions: int  # the scored questions the test has now (single choice with a correct answer)
    rows: list[ScoreRow]  # participants who took the test at least once, in protocol order

    @staticmethod
    def _mean(values) -> float | None:
        values = [v for v in values if v is not None]
        return round(sum(values) / len(values), 1) if values else None

    @property
    def average_before(self) -> float | None:
        return self._mean(row.before for row in self.rows)

    @property
    def average_after(self) -> float | None:
        return self._mean(row.after for row in self.rows)

    @property
    def average_gain(self) -> float | None:
        """Over the participants who took both."""
        return self._mean(row.gain for row in self.rows)

    @property
    def taken_before(self) -> int:
        return sum(row.before is not None for row in self.rows)

    @property
    def taken_after(self) -> int:
        return sum(row.after is not None for row in self.rows)


def _scored():
    return Q(kind=QuestionKind.SINGLE, correct_choice__isnull=False)


def score_results(program, enrollments=None) -> ScoreResults:
    """Each participant's score 0–100 before and after and the gain (two queries, and one for the
    enrollments unless given). A response is scored over the scored questions it answered (single choice
    with a correct answer; every test question is required, so these are the ones the test had when it
    was sent): a question added later does not lower an earlier score, and a corrected answer key counts
    at once. A response that answered none has no score."""
    questions = Question.objects.filter(
        _scored(), questionnaire__program=program, questionnaire__kind=QuestionnaireKind.TEST
    ).count()
    scored = Q(answers__question__kind=QuestionKind.SINGLE, answers__question__correct_choice__isnull=False)
    correct = Count("answers", filter=scored & Q(answers__number=F("answers__question__correct_choice")))
    scores = defaultdict(dict)  # enrollment id -> phase -> score
    rows = (
        Response.objects.filter(form__program=program, form__questionnaire__kind=QuestionnaireKind.TEST,
                                enrollment__isnull=False)
        .values("enrollment_id", "form__phase")
        .annotate(correct=correct, scored=Count("answers", filter=scored))
        .order_by()
    )  # fmt: skip
    for row in rows:
        if row["scored"]:
            scores[row["enrollment_id"]][row["form__phase"]] = round(row["correct"] * 100 / row["scored"], 1)
    enrollments = enrollments_for_program(program) if enrollments is None else enrollments
    return ScoreResults(
        questions=questions,
        rows=[ScoreRow(enrollment=e, before=scores[e.pk].get(Phase.BEFORE), after=scores[e.pk].get(Phase.AFTER))
              for e in enrollments if e.pk in scores],
    )  # fmt: skip


# --- Facilitators' assessment ----------------------------------------------------------------------------


@dataclass
class AssessmentRow:
    enrollment: object
    score: float  # the average of the score questions answered, 0–100
    band: str


@dataclass
class AssessmentResults:
    rows: list[AssessmentRow]  # assessed participants, in protocol order
    not_assessed: int
    bands: list[tuple[str, int]] = field(default_factory=list)  # every band, best first, with its count

    @property
    def average(self) -> float | None:
        return round(sum(r.score for r in self.rows) / len(self.rows), 1) if self.rows else None


def assessment_results(program, enrollments=None) -> AssessmentResults:
    """Per assessed participant the average of the score questions and its band (DOMAIN: Sangat Memuaskan
    above 90 … Tidak Memuaskan at 60 or below, on the exact average, as completion compares it); how many are
    in each band (one query, and one for the enrollments unless given)."""
    averages = assessment_scores(program)
    enrollments = list(enrollments_for_program(program) if enrollments is None else enrollments)
    rows = []
    for enrollment in enrollments:
        if enrollment.pk in averages:
            exact = float(averages[enrollment.pk])
            rows.append(AssessmentRow(enrollment=enrollment, score=round(exact, 1), band=band(exact)))
    labels = [label for _bound, label in BANDS] + [LOWEST_BAND]
    counts = defaultdict(int)
    for row in rows:
        counts[str(row.band)] += 1
    return AssessmentResults(rows=rows, not_assessed=len(enrollments) - len(rows),
                             bands=[(label, counts[str(label)]) for label in labels])  # fmt: skip


# --- Everything ------------------------------------------------------------------------------------------


@dataclass
class ProgramResults:
    speakers: list[FormResult]
    speaker_aspects: list[AspectResult]
    organization: list[FormResult]
    berakhlak: BerakhlakResults
    tests: ScoreResults
    assessment: AssessmentResults


def program_results(program, *, comments: bool = False) -> ProgramResults:
    """Every part of the results page (about twenty queries, whatever the size of the program). Speaker
    comments only with ``comments`` (the export and the printed report); the organization's always."""
    speakers = speaker_results(program, comments=comments)
    enrollments = list(enrollments_for_program(program))
    return ProgramResults(
        speakers=speakers,
        speaker_aspects=aspects_across(speakers),
        organization=organization_results(program),
        berakhlak=berakhlak_results(program),
        tests=score_results(program, enrollments),
        assessment=assessment_results(program, enrollments),
    )

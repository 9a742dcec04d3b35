from .completion import CompletionOverride, EvaluationSettings
from .forms import Answer, Form, Question, Questionnaire, ReminderSending, Response, Section
from .plans import ActionPlan, MonitoringVisit, ProgressReport, VisitFinding, VisitPhoto

__all__ = [
    "ActionPlan",
    "Answer",
    "CompletionOverride",
    "EvaluationSettings",
    "Form",
    "MonitoringVisit",
    "ProgressReport",
    "Question",
    "Questionnaire",
    "ReminderSending",
    "Response",
    "Section",
    "VisitFinding",
    "VisitPhoto",
]

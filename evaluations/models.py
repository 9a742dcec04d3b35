# Evaluations, action plans and certificates arrive with their own issues (see ROADMAP).

# Evaluations, action plans and monitoring visits arrive with their own issue; see the README's Layout.

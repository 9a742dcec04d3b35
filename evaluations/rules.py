"""Evaluation permissions on a program: organizers set the forms up, see who has not responded and decide
completion; every member, leaders included, reads the results and completion; facilitators assess the
participants of the sessions they facilitate; leaders and facilitators review action plans, and leaders
record their monitoring visits."""

import rules

from retreat.rules import is_program_facilitator, is_program_leader, is_program_manager, is_program_member

rules.add_perm("evaluations.view_evaluations", is_program_member)
rules.add_perm("evaluations.view_completion", is_program_member)
rules.add_perm("evaluations.manage_evaluations", is_program_manager)
rules.add_perm("evaluations.assess_participants", is_program_manager | is_program_facilitator)
# Results are read by every member; the spreadsheet of them is exported by managers (and recorded).
rules.add_perm("evaluations.export_results", is_program_manager)
# Leaders approve participants' action plans too, and record their own monitoring visits to units.
rules.add_perm("evaluations.review_plans", is_program_manager | is_program_facilitator | is_program_leader)
rules.add_perm("evaluations.record_visits", is_program_manager | is_program_leader)

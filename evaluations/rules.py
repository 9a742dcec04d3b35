"""Evaluation permissions on a program: organizers set the forms up and see who has not responded; every
member, leaders included, reads the results; facilitators assess the participants of their groups."""

import rules

from retreat.rules import is_program_facilitator, is_program_manager, is_program_member

rules.add_perm("evaluations.view_evaluations", is_program_member)
rules.add_perm("evaluations.manage_evaluations", is_program_manager)
rules.add_perm("evaluations.assess_participants", is_program_manager | is_program_facilitator)

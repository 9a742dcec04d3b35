"""Participant permissions, on a program: managers (admin, organizer) edit enrollments, import, export,
form groups and hand out personal links; every member of the program's institutions may read the list."""

import rules

from retreat.rules import is_program_manager, is_program_member

rules.add_perm("participants.view_enrollments", is_program_member)
rules.add_perm("participants.manage_enrollments", is_program_manager)

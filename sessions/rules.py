"""Agenda permissions on a program: every member reads it, managers (admin, organizer) plan it."""

import rules

from retreat.rules import is_program_manager, is_program_member

rules.add_perm("retreat_sessions.view_agenda", is_program_member)
rules.add_perm("retreat_sessions.manage_agenda", is_program_manager)

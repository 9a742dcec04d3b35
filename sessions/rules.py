"""Agenda permissions on a program: every member reads it; managers (admin, organizer) plan it, publish
it and open its calendar feed. Each action has its own permission, so that one can change alone."""

import rules

from retreat.rules import is_program_manager, is_program_member

rules.add_perm("retreat_sessions.view_agenda", is_program_member)
rules.add_perm("retreat_sessions.manage_agenda", is_program_manager)
rules.add_perm("retreat_sessions.publish_agenda", is_program_manager)
rules.add_perm("retreat_sessions.share_calendar", is_program_manager)

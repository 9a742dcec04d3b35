"""Participant permissions, on a program: every member of the program's institutions may read the list and
the groups; managers (admin, organizer) edit enrollments, import, export, form groups and hand out
personal links. Each action has its own permission, so that one can change without the others.

The registry (every person an institution has ever enrolled) belongs to the organizing institution: a partner
institution reaches only the people enrolled in the programs it partners, never the rest of it."""

import rules

from retreat.rules import is_program_manager, is_program_member, manages_the_organizer

rules.add_perm("participants.view_enrollments", is_program_member)
rules.add_perm("participants.manage_enrollments", is_program_manager)
rules.add_perm("participants.import_enrollments", is_program_manager)
rules.add_perm("participants.export_enrollments", is_program_manager)
rules.add_perm("participants.manage_groups", is_program_manager)
rules.add_perm("participants.manage_links", is_program_manager)
# Names, phones and personal links in a file (for a WhatsApp broadcast list): recorded as an export.
rules.add_perm("participants.export_links", is_program_manager)
# An import matches its rows against the whole registry of the organizer (a partner's: see selectors.registry_for).
rules.add_perm("participants.use_registry", manages_the_organizer)
# One person at a time, found in the registry (as ``registry_for`` lets the user see it) or created anew.
rules.add_perm("participants.add_enrollment", is_program_manager)
# Rooms: every member of the program sees who sleeps where; managers add rooms, assign and move people.
rules.add_perm("participants.manage_rooms", is_program_manager)

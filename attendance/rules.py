"""Attendance permissions on a program: organizers and facilitators (pendamping) record it; organizers
close and reopen registers, read a record's history and export; every member, leaders included, reads
the recaps."""

import rules

from retreat.rules import is_program_facilitator, is_program_manager, is_program_member

rules.add_perm("attendance.view_attendance", is_program_member)
rules.add_perm("attendance.record_attendance", is_program_manager | is_program_facilitator)
rules.add_perm("attendance.correct_attendance", is_program_manager)
rules.add_perm("attendance.close_register", is_program_manager)
rules.add_perm("attendance.export_attendance", is_program_manager)
rules.add_perm("attendance.change_attendance_settings", is_program_manager)

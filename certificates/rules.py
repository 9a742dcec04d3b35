"""Certificate permissions on a program: every member sees who has a certificate; managers issue and revoke
them; the numbering is the organizing institution's, set by its managers only."""

import rules

from retreat.rules import is_program_manager, is_program_member, manages_the_organizer

rules.add_perm("certificates.view_certificates", is_program_member)
rules.add_perm("certificates.issue_certificates", is_program_manager)
rules.add_perm("certificates.change_numbering", manages_the_organizer)
# The post-retreat report: every member reads it and downloads its versions (leaders too); managers write
# its texts, add its photos and make a new version.
rules.add_perm("certificates.view_report", is_program_member)
rules.add_perm("certificates.change_report", is_program_manager)

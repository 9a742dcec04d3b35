"""Who may do what. Views name one of these permissions (or PUBLIC / AUTHENTICATED, see access.py).

Roles come from memberships: admin and organizer manage a program of their institution (organizing or
partner); facilitators and leaders only read it. Personal data (NIP, phone) is for managers only.
"""

import rules

from .enums import Role

MANAGER_ROLES = frozenset({Role.ADMIN, Role.ORGANIZER})


def roles_by_institution(user) -> dict[int, str]:
    """{institution_id: role} for a user, read once per user object (i.e. once per request)."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_retreat_roles", None)
    if cached is None:
        cached = dict(user.memberships.values_list("institution_id", "role"))
        user._retreat_roles = cached
    return cached


def program_roles(user, program) -> set[str]:
    roles = roles_by_institution(user)
    return {roles[pk] for pk in program.institution_ids if pk in roles}


@rules.predicate
def is_program_member(user, program) -> bool:
    return program is not None and bool(program_roles(user, program))


@rules.predicate
def is_program_manager(user, program) -> bool:
    return program is not None and bool(program_roles(user, program) & MANAGER_ROLES)


@rules.predicate
def is_program_facilitator(user, program) -> bool:
    return program is not None and Role.FACILITATOR in program_roles(user, program)


@rules.predicate
def is_program_leader(user, program) -> bool:
    return program is not None and Role.LEADER in program_roles(user, program)


@rules.predicate
def manages_the_organizer(user, program) -> bool:
    return program is not None and roles_by_institution(user).get(program.organizer_id) in MANAGER_ROLES


@rules.predicate
def manages_an_institution(user) -> bool:
    return bool(set(roles_by_institution(user).values()) & MANAGER_ROLES)


@rules.predicate
def can_use_job(user, job) -> bool:
    return job is not None and is_program_manager(user, job.program)


rules.add_perm("retreat.view_program", is_program_member)
rules.add_perm("retreat.add_program", manages_an_institution)
rules.add_perm("retreat.change_program", is_program_manager)
# Who else sees the organizer's participants is the organizer's decision, not the partner's.
rules.add_perm("retreat.change_program_partner", manages_the_organizer)
rules.add_perm("retreat.export_program_documents", is_program_manager)
rules.add_perm("retreat.view_personal_data", is_program_manager)
rules.add_perm("retreat.use_document_job", can_use_job)
rules.add_perm("retreat.view_exports", is_program_manager)
# Cohorts (angkatan): every member of the program sees them; its managers add, rename and remove them.
rules.add_perm("retreat.view_cohorts", is_program_member)
rules.add_perm("retreat.change_cohorts", is_program_manager)


# --- Institution administration -------------------------------------------------------------------
# An institution's admin manages its users and its profile (letterhead, logo); the object is the institution,
# or a membership of it (a user of the institution). Only the site's superuser creates institutions.


@rules.predicate
def administers(user, obj) -> bool:
    institution_id = getattr(obj, "institution_id", None) or getattr(obj, "pk", None)
    return obj is not None and roles_by_institution(user).get(institution_id) == Role.ADMIN


@rules.predicate
def administers_an_institution(user) -> bool:
    return Role.ADMIN in roles_by_institution(user).values()


@rules.predicate
def is_superuser(user) -> bool:
    return user.is_authenticated and user.is_superuser


rules.add_perm("retreat.manage_institution", administers)
rules.add_perm("retreat.add_institution", is_superuser)
# Only for showing the menu entry (a rule, not a permission: the template tests it without Django's permission
# tables); the pages check ``manage_institution`` against the institution.
rules.add_rule("retreat.administers_an_institution", administers_an_institution)

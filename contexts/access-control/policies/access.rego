# compliance-ledger: built-in access policies (Rego), the OPA counterpart of access.cedar.
# Query: POST /v1/data/compliance_ledger/access/decision with {"input": ...}; the input is the
# decision point's document (principal {id, kind, roles, allRoles, groups}, action, resource,
# context {isRead, isProduction, withinChangeWindow, emergencyApproved, now, environment?, ...}).
# A forbid beats any permit; without a permit the answer is no.
package compliance_ledger.access

import rego.v1

policy_version := "access-rego-1"

default allowed := false

allowed if {
	count(permits) > 0
	count(forbids) == 0
}

decision := {"allowed": allowed, "permits": permits, "forbids": forbids, "policy_version": policy_version}

principal := input.principal

res := input.resource

ctx := input.context

roles := {r | some r in principal.roles}

all_roles := {r | some r in principal.allRoles}

has_role(r) if r in roles

has_any_role(rs) if {
	some r in rs
	r in roles
}

has_any_role_anywhere(rs) if {
	some r in rs
	r in all_roles
}

audit_actions := {"audit.read", "audit.export", "audit.verify", "access.review"}

approval_actions := {"change.approve", "build.approve", "deployment.approve", "test.sign-off"}

hit(id) := {"id": id, "reason": reasons[id]}

reasons := {
	"rbac.platform-admin": "platform-admin may take every action in its project",
	"rbac.team-lead": "team-lead manages pipelines, approves changes and deployments, configures environments in its project",
	"rbac.developer": "developer commits, opens changes, triggers pipelines and updates their configuration in its project",
	"rbac.qa": "qa approves builds, signs off and records tests in its project",
	"rbac.qa-pipelines-outside-production": "qa runs pipelines that target a named environment other than production",
	"rbac.release-manager": "release-manager tags versions and approves deployments, production included, in its project",
	"rbac.operations": "operations triggers rollbacks in its project",
	"rbac.pipeline": "a pipeline reports events, registers artifacts, asks gates, requests approvals and runs deployments of its project",
	"rbac.member-approval-requests": "any member of the project may request an approval and withdraw it",
	"rbac.member-reads": "a member of the project reads it (its audit trail is for compliance roles)",
	"rbac.admin-reads-everywhere": "platform-admin reads every project",
	"rbac.engineering-reads-everywhere": "team-lead and developer read other projects (not their audit trails)",
	"rbac.compliance-reads-everywhere": "compliance-officer and auditor read every project, its audit trail included",
	"rbac.own-tokens": "everyone manages their own API tokens",
	"rbac.own-access": "everyone may ask what they themselves may do",
	"sod.no-self-grant": "nobody may grant a role to themselves",
	"sod.self-approval": "whoever authored a subject or requested its approval may not approve it",
	"sod.subject-facts-missing": "an approval needs to know who authored or requested its subject (resource.authorId or resource.requestedBy)",
	"sod.sole-approver": "whoever triggered a deployment may not be its only approver",
	"sod.release-manager-test-results": "a release manager may not modify test results",
	"sod.read-only-role": "compliance-officer and auditor change nothing",
	"abac.production-approval": "only a release-manager approves a production deployment",
	"abac.environment-required": "a deployment decision needs the target environment (context.environment)",
	"abac.outside-change-window": "production changes happen inside the change window unless an approved emergency covers them",
	"abac.human-approval-required": "approvals and sign-offs are given by people, not pipelines or services",
	"abac.unknown-classification": "resource.classification must be public, internal, confidential or restricted",
	"abac.confidential-data": "confidential data is for members of its project and compliance roles",
	"abac.restricted-data": "restricted data is for its project's platform-admin, team-lead and release-manager, and compliance roles",
}

# ------------------------------------------------------------------ RBAC: roles in their project

permits contains h if {
	has_role("platform-admin")
	h := hit("rbac.platform-admin")
}

permits contains h if {
	input.action in {
		"pipeline.run", "pipeline.configure", "environment.configure", "change.approve",
		"build.approve", "deployment.approve", "change.create", "change.commit",
	}
	has_role("team-lead")
	h := hit("rbac.team-lead")
}

permits contains h if {
	input.action in {"change.create", "change.commit", "pipeline.run", "pipeline.configure"}
	has_role("developer")
	h := hit("rbac.developer")
}

permits contains h if {
	input.action in {"build.approve", "test.sign-off", "test-result.modify"}
	has_role("qa")
	h := hit("rbac.qa")
}

permits contains h if {
	input.action == "pipeline.run"
	has_role("qa")
	ctx.environment
	not ctx.isProduction
	h := hit("rbac.qa-pipelines-outside-production")
}

permits contains h if {
	input.action in {"version.tag", "deployment.approve", "change.approve"}
	has_role("release-manager")
	h := hit("rbac.release-manager")
}

permits contains h if {
	input.action == "rollback.trigger"
	has_role("operations")
	h := hit("rbac.operations")
}

permits contains h if {
	input.action in {
		"cdevent.ingest", "artifact.register", "artifact.attest", "sbom.attach", "gate.evaluate",
		"approval.request", "pipeline.run", "deployment.execute", "test-result.modify",
	}
	has_role("pipeline")
	h := hit("rbac.pipeline")
}

permits contains h if {
	input.action in {"approval.request", "approval.withdraw"}
	has_any_role({"team-lead", "developer", "qa", "release-manager", "operations"})
	h := hit("rbac.member-approval-requests")
}

permits contains h if {
	ctx.isRead
	has_any_role({"team-lead", "developer", "qa", "release-manager", "operations", "pipeline"})
	not input.action in audit_actions
	h := hit("rbac.member-reads")
}

# --------------------------------------------------------------- RBAC: reads across projects

permits contains h if {
	ctx.isRead
	"platform-admin" in all_roles
	h := hit("rbac.admin-reads-everywhere")
}

permits contains h if {
	ctx.isRead
	has_any_role_anywhere({"team-lead", "developer"})
	not input.action in audit_actions
	h := hit("rbac.engineering-reads-everywhere")
}

permits contains h if {
	ctx.isRead
	has_any_role_anywhere({"compliance-officer", "auditor"})
	h := hit("rbac.compliance-reads-everywhere")
}

# ------------------------------------------------------------------------------ self-service

permits contains h if {
	input.action in {"token.manage", "token.read"}
	res.id == principal.id
	h := hit("rbac.own-tokens")
}

permits contains h if {
	input.action == "access.review"
	res.id == principal.id
	h := hit("rbac.own-access")
}

# -------------------------------------------------------------------- segregation of duties

forbids contains h if {
	input.action == "role.grant"
	res.grantee == principal.id
	h := hit("sod.no-self-grant")
}

forbids contains h if {
	input.action == "role.grant"
	some pair in ctx.sodConflictingRoles
	some i in [0, 1]
	res.role == pair[i]
	pair[1 - i] in res.granteeRoles
	h := {
		"id": sprintf("sod.static:%s+%s", [pair[0], pair[1]]),
		"reason": sprintf("one principal may not hold %s and %s in the same project", [pair[0], pair[1]]),
	}
}

forbids contains h if {
	input.action in approval_actions
	res.authorId == principal.id
	h := hit("sod.self-approval")
}

forbids contains h if {
	input.action in approval_actions
	res.requestedBy == principal.id
	h := hit("sod.self-approval")
}

forbids contains h if {
	input.action in {"change.approve", "build.approve", "deployment.approve"}
	not res.authorId
	not res.requestedBy
	h := hit("sod.subject-facts-missing")
}

forbids contains h if {
	input.action == "deployment.approve"
	res.triggeredBy == principal.id
	not others_approved
	h := hit("sod.sole-approver")
}

others_approved if {
	some a in res.approvers
	a != principal.id
}

forbids contains h if {
	input.action == "test-result.modify"
	has_role("release-manager")
	h := hit("sod.release-manager-test-results")
}

forbids contains h if {
	not ctx.isRead
	has_any_role({"compliance-officer", "auditor"})
	not own_token_management
	h := hit("sod.read-only-role")
}

own_token_management if {
	input.action == "token.manage"
	res.id == principal.id
}

# ------------------------------------------------------------------------------------ ABAC

forbids contains h if {
	input.action == "deployment.approve"
	ctx.isProduction
	not has_role("release-manager")
	h := hit("abac.production-approval")
}

forbids contains h if {
	input.action in {"deployment.approve", "deployment.execute"}
	not ctx.environment
	h := hit("abac.environment-required")
}

forbids contains h if {
	input.action in {"deployment.execute", "pipeline.run", "environment.configure"}
	ctx.isProduction
	not ctx.withinChangeWindow
	not ctx.emergencyApproved
	h := hit("abac.outside-change-window")
}

forbids contains h if {
	input.action in approval_actions
	principal.kind != "user"
	h := hit("abac.human-approval-required")
}

forbids contains h if {
	res.classification
	not res.classification in {"public", "internal", "confidential", "restricted"}
	h := hit("abac.unknown-classification")
}

forbids contains h if {
	res.classification == "confidential"
	count(roles) == 0
	not has_any_role_anywhere({"compliance-officer", "auditor"})
	h := hit("abac.confidential-data")
}

forbids contains h if {
	res.classification == "restricted"
	not has_any_role({"platform-admin", "team-lead", "release-manager"})
	not has_any_role_anywhere({"compliance-officer", "auditor"})
	h := hit("abac.restricted-data")
}

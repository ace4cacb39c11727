package audit

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/aadsts/aadsts/directory"
)

// GitHubIssuer is the issuer of GitHub Actions OIDC tokens.
const GitHubIssuer = "https://token.actions.githubusercontent.com"

// tokenExchangeAudiences are the audiences Entra documents for federated
// credentials (public cloud, US Government, China).
var tokenExchangeAudiences = []string{"api://AzureADTokenExchange", "api://AzureADTokenExchangeUSGov", "api://AzureADTokenExchangeChina"}

func (r *run) federated(o owner, fics []directory.FederatedIdentityCredential) {
	if r.o.MaxFICs > 0 && len(fics) > r.o.MaxFICs {
		r.add(o, RuleFICLimit, Warning,
			fmt.Sprintf("%s has %d federated identity credentials; an application holds at most %d, so adding more fails.", o.label(), len(fics), r.o.MaxFICs),
			fmt.Sprintf("Remove unused ones (az ad app federated-credential list --id %s; az ad app federated-credential delete --id %s --federated-credential-id <id>), or use one credential with a claims-matching expression for many branches.", o.appIDOr(), o.appIDOr()),
			Finding{CredentialType: CredFederated})
	}
	seen := map[string]string{}
	for _, f := range fics {
		id := f.ID
		if id == "" {
			id = f.Name
		}
		base := Finding{KeyID: id, CredentialType: CredFederated, CredentialName: f.Name}
		label := fmt.Sprintf("federated credential %q", f.Name)
		fixUpdate := fmt.Sprintf("az ad app federated-credential update --id %s --federated-credential-id %s --parameters @fic.json; PowerShell: Update-MgApplicationFederatedIdentityCredential -ApplicationId %s -FederatedIdentityCredentialId %s; portal: App registrations > %s > Certificates & secrets > Federated credentials.",
			o.appIDOr(), id, o.objectIDOr(), id, nameOr(o))
		pair := f.Issuer + "\x00" + f.Subject
		if prev, dup := seen[pair]; dup && f.Subject != "" {
			r.add(o, RuleFICDuplicate, Warning,
				fmt.Sprintf("The %s of %s repeats the issuer and subject of %q; Entra requires the pair to be unique per application.", label, o.label(), prev),
				"Delete one of them: az ad app federated-credential delete --id "+o.appIDOr()+" --federated-credential-id "+id+".", base)
		}
		seen[pair] = f.Name
		r.ficIssuer(o, f, label, fixUpdate, base)
		r.ficAudience(o, f, label, fixUpdate, base)
		if issuerIsGitHub(f.Issuer) && f.ClaimsMatchingExpression == nil {
			for _, p := range githubSubjectProblems(f.Subject) {
				r.add(o, RuleFICGitHubSubject, Warning,
					fmt.Sprintf("The subject %q of %s of %s will not match GitHub's: %s.", f.Subject, label, o.label(), p),
					"Set the subject GitHub sends, e.g. repo:OWNER/REPO:ref:refs/heads/main, repo:OWNER/REPO:environment:production, repo:OWNER/REPO:pull_request (with OWNER@ID/REPO@ID for repositories using immutable subjects): "+fixUpdate, base)
			}
		}
	}
}

func issuerIsGitHub(iss string) bool {
	u, err := url.Parse(strings.TrimSpace(iss))
	return err == nil && strings.EqualFold(u.Host, "token.actions.githubusercontent.com")
}

func (r *run) ficIssuer(o owner, f directory.FederatedIdentityCredential, label, fix string, base Finding) {
	u, err := url.Parse(f.Issuer)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		r.add(o, RuleFICIssuer, Critical,
			fmt.Sprintf("The issuer %q of %s of %s is not an https URL; Entra fetches the issuer's OpenID configuration over https and compares iss exactly, so this credential can never be used.", f.Issuer, label, o.label()),
			"Set the issuer to the exact https URL the identity provider puts in iss: "+fix, base)
		return
	}
	if issuerIsGitHub(f.Issuer) && f.Issuer != GitHubIssuer && !strings.HasPrefix(f.Issuer, GitHubIssuer+"/") {
		r.add(o, RuleFICIssuer, Warning,
			fmt.Sprintf("The issuer %q of %s of %s differs from GitHub's %q in case; issuers are compared exactly.", f.Issuer, label, o.label(), GitHubIssuer),
			"Set the issuer to "+GitHubIssuer+": "+fix, base)
		return
	}
	if strings.HasSuffix(f.Issuer, "/") && issuerIsGitHub(f.Issuer) {
		r.add(o, RuleFICIssuer, Warning,
			fmt.Sprintf("The issuer %q of %s of %s ends with a slash; GitHub's iss is %q and issuers are compared exactly (AADSTS700211).", f.Issuer, label, o.label(), GitHubIssuer),
			"Remove the trailing slash: "+fix, base)
	}
}

func (r *run) ficAudience(o owner, f directory.FederatedIdentityCredential, label, fix string, base Finding) {
	if len(f.Audiences) != 1 {
		r.add(o, RuleFICAudience, Warning,
			fmt.Sprintf("%s of %s has %d audiences; Entra expects exactly one (api://AzureADTokenExchange).", label, o.label(), len(f.Audiences)),
			"Set audiences to [\"api://AzureADTokenExchange\"]: "+fix, base)
		return
	}
	aud := f.Audiences[0]
	for _, want := range tokenExchangeAudiences {
		if aud == want {
			return
		}
		if strings.EqualFold(aud, want) {
			r.add(o, RuleFICAudience, Warning,
				fmt.Sprintf("The audience %q of %s of %s differs from %q in case; the external token's aud is compared exactly (AADSTS700212).", aud, label, o.label(), want),
				"Set the audience to "+want+": "+fix, base)
			return
		}
	}
	r.add(o, RuleFICAudience, Warning,
		fmt.Sprintf("The audience %q of %s of %s is not api://AzureADTokenExchange; the external token must carry exactly this aud, which most tools (azure/login, workload identity webhooks) do not send.", aud, label, o.label()),
		"Use api://AzureADTokenExchange unless the identity provider is configured for another audience: "+fix, base)
}

var immutableOwnerRepo = regexp.MustCompile(`^[^/@:]+@[0-9]+/[^/@:]+@[0-9]+$`)

// githubSubjectProblems explains why a GitHub Actions subject cannot match
// any token GitHub sends with the default subject template. Customised
// templates (subjects that do not start with repo:) are not judged, only
// their keyword case.
func githubSubjectProblems(sub string) []string {
	var ps []string
	if sub != strings.TrimSpace(sub) {
		ps = append(ps, "it has leading or trailing white space")
		sub = strings.TrimSpace(sub)
	}
	if strings.Contains(sub, "*") {
		ps = append(ps, "subjects are matched literally: * is not a wildcard (use a claims-matching expression for patterns)")
	}
	if !strings.HasPrefix(sub, "repo:") {
		if strings.HasPrefix(strings.ToLower(sub), "repo:") {
			ps = append(ps, "GitHub writes the prefix as lower-case \"repo:\" and subjects are compared case-sensitively (AADSTS7002138)")
			sub = "repo:" + sub[5:]
		} else {
			return ps // a customised subject template; not judged
		}
	}
	rest := strings.TrimPrefix(sub, "repo:")
	ownerRepo, ctx, hasCtx := strings.Cut(rest, ":")
	if strings.Contains(ownerRepo, "@") && !immutableOwnerRepo.MatchString(ownerRepo) {
		ps = append(ps, "the immutable form is OWNER@OWNER_ID/REPO@REPO_ID with numeric ids on both the owner and the repository")
	} else if !strings.Contains(ownerRepo, "/") {
		ps = append(ps, "it lacks OWNER/REPO after repo:")
	}
	if !hasCtx {
		ps = append(ps, "it names no context; GitHub adds :ref:refs/heads/BRANCH, :environment:NAME, :pull_request or :ref:refs/tags/TAG")
		return ps
	}
	kind, value, _ := strings.Cut(ctx, ":")
	switch {
	case kind == "ref":
		switch {
		case strings.HasPrefix(value, "refs/heads/"), strings.HasPrefix(value, "refs/tags/"), strings.HasPrefix(value, "refs/pull/"):
		case strings.HasPrefix(strings.ToLower(value), "refs/"):
			ps = append(ps, fmt.Sprintf("GitHub writes %q in lower case", value[:strings.Index(value[5:], "/")+6]))
		default:
			ps = append(ps, fmt.Sprintf("GitHub sends the full ref, ref:refs/heads/%s for a branch or ref:refs/tags/%s for a tag", value, value))
		}
	case kind == "environment":
		if strings.HasPrefix(value, "refs/") {
			ps = append(ps, "environment: takes the deployment environment's name, not a git ref")
		}
		if value == "" {
			ps = append(ps, "the environment name is empty")
		}
	case kind == "pull_request":
		if value != "" {
			ps = append(ps, "GitHub sends pull_request with nothing after it")
		}
	case strings.EqualFold(kind, "ref"), strings.EqualFold(kind, "environment"), strings.EqualFold(kind, "pull_request"):
		ps = append(ps, fmt.Sprintf("GitHub writes %q in lower case and subjects are compared case-sensitively (AADSTS7002138)", strings.ToLower(kind)))
	case kind == "branch", kind == "tag", kind == "heads":
		ps = append(ps, fmt.Sprintf("GitHub has no %q context; a branch is ref:refs/heads/NAME, a tag ref:refs/tags/NAME", kind))
	}
	return ps
}

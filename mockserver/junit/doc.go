// Package junit writes JUnit XML reports, the format CI systems (Jenkins,
// GitLab, GitHub's test reporters) read: one suite per group, one case
// per check, failures and skips counted on each suite and in total.
//
// The proxy's --report (cmd/mockserver) and pact verify's --junit
// (mockserver/pact/verify) both write through it, so the two reports have
// one shape; it is public because the command, outside mockserver/, is one
// of its two users.
//
// The types are ours rather than github.com/jstemmer/go-junit-report/v2/junit's
// (v2.1.0, tried): its Testcase holds one failure, where these reports give
// one <failure> per rule broken or per problem, each typed by its rule or
// check (static, dynamic) for the CI's view; and its AddTestcase counts a
// case that failed and was skipped in both totals, where Suite.Add counts
// it once, as failed.
package junit

// Package record turns the exchanges a validating proxy forwarded into a
// scenario file that `mockserver serve --fixtures DIR --scenario NAME`
// replays offline.
//
// What it writes, for each API that saw traffic:
//
//   - records (`state:`), for an API whose store can learn them
//     (mockserver.Server.NewLearner: the bundled Open To Close and Spark
//     APIs), so that the replay is stateful: a note read, then replaced,
//     then read again answers from the store as the real service did;
//   - rules, one per operation and path/query parameters, answering the
//     recorded status, documented headers and body, for every answer the
//     records do not explain; when the same call was answered
//     differently over time, the rules replay the answers in order
//     (`times`), the last one for good;
//   - comments, never rules, for exchanges that broke the spec (so nothing
//     invalid becomes a fixture silently) and for 401/403 answers, which
//     depend on a credential the file does not hold.
//
// No credential is written: the scenario extends "empty" by default,
// whose principals are the bundled tokens; a replaying client that used
// real tokens needs principals for the tokens it sends (see the file's
// header comment).
package record

// Package dashboard is the mock's web UI under /__mock/ui/: the request
// journal live, coverage, scenarios and state, and violations.
//
// Pages are rendered on the server from html/template with a little plain
// JavaScript, all embedded in the binary (no build step, no CDN). They
// read the Server through the same public methods the admin JSON API
// answers from, and the buttons call that JSON API; live rows come from
// GET /__mock/events.
//
// Wire it with mockserver.Options{AdminUI: dashboard.Handler}. When the
// Server has an admin token, a page asks for it once, keeps it in the
// tab's sessionStorage and sends it as a Bearer header; without it the
// pages serve only their empty frame.
package dashboard

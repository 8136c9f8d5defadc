// Package bundledtest is what the tests of the engine and of the built-in
// APIs share: the ids of the bundled fixtures (fixtures/default.yaml), one
// way to describe a request to a Server and check its answer, and a Server
// of the bundled packs for one test.
//
// A request is data (Req, built by Spark, OTC or Admin), so a table row is
// one line; Send runs it through the handler in process (SendJSON also
// fails on a body that is not JSON), SendTo over the network to a running
// server such as a proxy, and Run runs Steps and checks each answer's
// status, Spark code, message and headers. The engine's own tests build
// every request this way.
package bundledtest

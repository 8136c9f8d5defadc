// Package pact reads and writes Pact contract files (specification 2.0,
// 3.0 and 4.0) and compares a provider's answer with an interaction's
// expected response by Pact's matching rules.
//
// It knows no API and nothing of the engine: Parse normalises every
// version into one model (File, Interaction, Request, Response), Compare
// judges an answer against a Response, and File.Marshal writes the model
// back as a Pact 4.0 document. The engine writes pacts from its journal
// with it (mockserver.Server.Pact); mockserver/pact/verify replays them.
package pact

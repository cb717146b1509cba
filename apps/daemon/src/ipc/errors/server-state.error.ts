/** The server was asked to do something its state does not allow (listen twice, unwrap unbound). */
export class ServerStateError extends Error {
  override readonly name = "ServerStateError";
}

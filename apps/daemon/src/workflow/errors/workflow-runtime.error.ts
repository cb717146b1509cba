/**
 * Base class of the errors the workflow engine raises on purpose. `name` is the subclass name,
 * so an error serialised across the worker boundary as `{ name, message, stack }` still says
 * what it is. Imported by the worker process: keep this file free of imports.
 */
export abstract class WorkflowRuntimeError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

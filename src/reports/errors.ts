// Typed refusals of the reports domain. Each carries the ids a caller needs
// to explain the refusal to the user (the texts live with the caller).

export type ReportsErrorCode =
  | "not-found"
  | "not-allowed"
  | "edit-after-deadline"
  | "outside-subtree"
  | "invalid-request";

export abstract class ReportsError extends Error {
  abstract readonly code: ReportsErrorCode;
}

export class NotFoundError extends ReportsError {
  override name = "NotFoundError";
  readonly code = "not-found";
  constructor(
    readonly entity: "Template" | "TemplateVersion" | "Assignment" | "Submission" | "Revision" | "Unit" | "Period",
    readonly id: number | string,
  ) {
    super(`${entity} ${String(id)} not found`);
  }
}

/** The person holds no REPORTER or HEAD role in the assignment's unit, or either is inactive. */
export class NotAllowedToFileError extends ReportsError {
  override name = "NotAllowedToFileError";
  readonly code = "not-allowed";
  constructor(
    readonly personId: number,
    readonly assignmentId: number,
  ) {
    super(`person ${personId} may not file assignment ${assignmentId}`);
  }
}

/** A submitted report whose deadline has passed, on a template that does not allow later edits. */
export class EditAfterDeadlineError extends ReportsError {
  override name = "EditAfterDeadlineError";
  readonly code = "edit-after-deadline";
  constructor(
    readonly assignmentId: number,
    readonly deadline: Date,
  ) {
    super(`assignment ${assignmentId} was submitted and its deadline ${deadline.toISOString()} has passed`);
  }
}

/** The requester may not raise a request for these units. */
export class OutsideSubtreeError extends ReportsError {
  override name = "OutsideSubtreeError";
  readonly code = "outside-subtree";
  constructor(
    readonly requesterId: number,
    /** The committee acted through; null when any unit the person manages would do. */
    readonly committeeId: number | null,
    /** Units outside the subtree; empty when the requester has no managing role on the committee at all. */
    readonly unitIds: number[],
  ) {
    super(
      unitIds.length === 0
        ? `person ${requesterId} holds no office or committee role over unit ${String(committeeId)}`
        : `units ${unitIds.join(", ")} are outside the subtree person ${requesterId} manages${committeeId === null ? "" : ` through unit ${committeeId}`}`,
    );
  }
}

/** A request that cannot be carried out as given; `problems` are Vietnamese lines for the user where they exist. */
export class InvalidRequestError extends ReportsError {
  override name = "InvalidRequestError";
  readonly code = "invalid-request";
  constructor(
    readonly reason: string,
    readonly problems: string[] = [],
  ) {
    super(problems.length === 0 ? reason : `${reason}: ${problems.join("; ")}`);
  }
}

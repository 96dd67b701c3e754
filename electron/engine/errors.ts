/** An error whose message is meant for the user (bad input, no case open, ...). */
export class UserError extends Error {
  constructor(
    message: string,
    readonly code: string = 'bad_request',
  ) {
    super(message);
  }
}

/** An error whose message is already written for the user: no stack, no prefix. */
export class UserFacingError extends Error {}

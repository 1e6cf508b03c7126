import { AwsError } from "../errors";

export const noSuchEntity = (m: string) => new AwsError("NoSuchEntity", m, 404, "Sender", "NoSuchEntityException");
export const entityAlreadyExists = (m: string) => new AwsError("EntityAlreadyExists", m, 409, "Sender", "EntityAlreadyExistsException");
export const deleteConflict = (m: string) => new AwsError("DeleteConflict", m, 409, "Sender", "DeleteConflictException");
export const limitExceeded = (m: string) => new AwsError("LimitExceeded", m, 409, "Sender", "LimitExceededException");
export const invalidInput = (m: string) => new AwsError("InvalidInput", m, 400, "Sender", "InvalidInputException");

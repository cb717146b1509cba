import {
  ValidatorConstraint,
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
  type ValidatorConstraintInterface,
} from "./class-validator.js";

import { describeValue } from "../describe-value.js";
import { durationErrorFor, parseDuration } from "../duration.js";
import { invalidNameMessage, isValidName } from "../names.js";
import { parseSize } from "../size.js";

/** A class-validator message: "expected <what>, got <the value>". */
export function expected(what: string): (args: ValidationArguments) => string {
  return (args) => `expected ${what}, got ${describeValue(args.value)}`;
}

/** Message for a required key: missing altogether, or present with no value. */
export function required(key: string, what: string): (args: ValidationArguments) => string {
  return (args) =>
    args.value === undefined
      ? `missing required key ${JSON.stringify(key)}; expected ${what}`
      : `expected ${what}, got nothing`;
}

@ValidatorConstraint({ name: "isDuration" })
class IsDurationConstraint implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    if (typeof value !== "string") return false;
    const parsed = parseDuration(value);
    return parsed.ok && (parsed.value > 0 || !positive(args));
  }

  defaultMessage(args: ValidationArguments): string {
    if (typeof args.value === "string") {
      const parsed = parseDuration(args.value);
      if (!parsed.ok) return parsed.error;
      return `expected a duration greater than 0, got ${describeValue(args.value)}`;
    }
    return durationErrorFor(args.value, describeValue(args.value));
  }
}

function positive(args: ValidationArguments): boolean {
  return (args.constraints as unknown[])[0] === true;
}

/** A duration string such as `10s` or `1m30s`; `positive` also rejects zero. */
export function IsDuration(options: { positive?: boolean } = {}, validation?: ValidationOptions) {
  return (target: object, propertyName: string): void => {
    registerDecorator({
      target: target.constructor,
      propertyName,
      options: validation,
      constraints: [options.positive === true],
      validator: IsDurationConstraint,
    });
  };
}

@ValidatorConstraint({ name: "isName" })
class IsNameConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === "string" && isValidName(value);
  }

  defaultMessage(args: ValidationArguments): string {
    return invalidNameMessage(String(args.constraints[0]), describeValue(args.value));
  }
}

/** A sense, workflow or group name (see NAME_PATTERN); `kind` names it in the message. */
export function IsName(kind: string, validation?: ValidationOptions) {
  return (target: object, propertyName: string): void => {
    registerDecorator({
      target: target.constructor,
      propertyName,
      options: validation,
      constraints: [kind],
      validator: IsNameConstraint,
    });
  };
}

@ValidatorConstraint({ name: "isSize" })
class IsSizeConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== "string") return false;
    const parsed = parseSize(value);
    return parsed.ok && parsed.value > 0;
  }

  defaultMessage(args: ValidationArguments): string {
    if (typeof args.value === "string") {
      const parsed = parseSize(args.value);
      if (!parsed.ok) return parsed.error;
      return `expected a size greater than 0, got ${describeValue(args.value)}`;
    }
    if (typeof args.value === "number") {
      return `expected a size such as ${String(args.value)}MiB, got ${describeValue(args.value)} (a number needs a unit: B, KiB, MiB, GiB, TiB, or KB, MB, GB, TB)`;
    }
    return `expected a size such as 500MiB or 2GiB, got ${describeValue(args.value)}`;
  }
}

/** A size string greater than zero, such as `500MiB` or `2GiB`. */
export function IsSize(validation?: ValidationOptions) {
  return (target: object, propertyName: string): void => {
    registerDecorator({
      target: target.constructor,
      propertyName,
      options: validation,
      validator: IsSizeConstraint,
    });
  };
}

import type * as ClassValidator from "class-validator";
import arrayNotEmpty from "class-validator/cjs/decorator/array/ArrayNotEmpty.js";
import isDefined from "class-validator/cjs/decorator/common/IsDefined.js";
import isIn from "class-validator/cjs/decorator/common/IsIn.js";
import isNotEmpty from "class-validator/cjs/decorator/common/IsNotEmpty.js";
import isOptional from "class-validator/cjs/decorator/common/IsOptional.js";
import validate from "class-validator/cjs/decorator/common/Validate.js";
import max from "class-validator/cjs/decorator/number/Max.js";
import min from "class-validator/cjs/decorator/number/Min.js";
import isArray from "class-validator/cjs/decorator/typechecker/IsArray.js";
import isInt from "class-validator/cjs/decorator/typechecker/IsInt.js";
import isString from "class-validator/cjs/decorator/typechecker/IsString.js";
import container from "class-validator/cjs/container.js";
import registerDecoratorFile from "class-validator/cjs/register-decorator.js";
import validatorFile from "class-validator/cjs/validation/Validator.js";

/*
 * The parts of class-validator the config DTOs use, each from the file of the package's
 * CommonJS build that defines it. The package's index loads every validator it has, with the
 * `validator` package and libphonenumber-js: some 300 modules and 7 MiB in every process that
 * reads a config (the daemon keeps them for its whole life), of which the DTOs use a dozen
 * (docs/PERFORMANCE.md). Same files, so the same metadata storage as the index's.
 */

export type {
  ValidationArguments,
  ValidationError,
  ValidationOptions,
  ValidatorConstraintInterface,
  ValidatorOptions,
} from "class-validator";

type Api = typeof ClassValidator;

export const ArrayNotEmpty: Api["ArrayNotEmpty"] = arrayNotEmpty.ArrayNotEmpty;
export const IsArray: Api["IsArray"] = isArray.IsArray;
export const IsDefined: Api["IsDefined"] = isDefined.IsDefined;
export const IsIn: Api["IsIn"] = isIn.IsIn;
export const IsInt: Api["IsInt"] = isInt.IsInt;
export const IsNotEmpty: Api["IsNotEmpty"] = isNotEmpty.IsNotEmpty;
export const IsOptional: Api["IsOptional"] = isOptional.IsOptional;
export const IsString: Api["IsString"] = isString.IsString;
export const Max: Api["Max"] = max.Max;
export const Min: Api["Min"] = min.Min;
export const ValidatorConstraint: Api["ValidatorConstraint"] = validate.ValidatorConstraint;
export const registerDecorator: Api["registerDecorator"] = registerDecoratorFile.registerDecorator;

/** class-validator's `validateSync(object, options)`. */
export function validateSync(
  object: object,
  options?: ClassValidator.ValidatorOptions,
): ClassValidator.ValidationError[] {
  return container.getFromContainer(validatorFile.Validator).validateSync(object, options);
}

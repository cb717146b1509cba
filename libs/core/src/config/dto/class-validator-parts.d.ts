// The files of class-validator's CommonJS build that class-validator.ts imports one by one, typed
// as the package's index types what they define.

declare module "class-validator/cjs/decorator/array/ArrayNotEmpty.js" {
  import type { ArrayNotEmpty } from "class-validator";
  const file: { ArrayNotEmpty: typeof ArrayNotEmpty };
  export default file;
}

declare module "class-validator/cjs/decorator/common/IsDefined.js" {
  import type { IsDefined } from "class-validator";
  const file: { IsDefined: typeof IsDefined };
  export default file;
}

declare module "class-validator/cjs/decorator/common/IsIn.js" {
  import type { IsIn } from "class-validator";
  const file: { IsIn: typeof IsIn };
  export default file;
}

declare module "class-validator/cjs/decorator/common/IsNotEmpty.js" {
  import type { IsNotEmpty } from "class-validator";
  const file: { IsNotEmpty: typeof IsNotEmpty };
  export default file;
}

declare module "class-validator/cjs/decorator/common/IsOptional.js" {
  import type { IsOptional } from "class-validator";
  const file: { IsOptional: typeof IsOptional };
  export default file;
}

declare module "class-validator/cjs/decorator/common/Validate.js" {
  import type { ValidatorConstraint } from "class-validator";
  const file: { ValidatorConstraint: typeof ValidatorConstraint };
  export default file;
}

declare module "class-validator/cjs/decorator/number/Max.js" {
  import type { Max } from "class-validator";
  const file: { Max: typeof Max };
  export default file;
}

declare module "class-validator/cjs/decorator/number/Min.js" {
  import type { Min } from "class-validator";
  const file: { Min: typeof Min };
  export default file;
}

declare module "class-validator/cjs/decorator/typechecker/IsArray.js" {
  import type { IsArray } from "class-validator";
  const file: { IsArray: typeof IsArray };
  export default file;
}

declare module "class-validator/cjs/decorator/typechecker/IsInt.js" {
  import type { IsInt } from "class-validator";
  const file: { IsInt: typeof IsInt };
  export default file;
}

declare module "class-validator/cjs/decorator/typechecker/IsString.js" {
  import type { IsString } from "class-validator";
  const file: { IsString: typeof IsString };
  export default file;
}

declare module "class-validator/cjs/container.js" {
  import type { getFromContainer } from "class-validator";
  const file: { getFromContainer: typeof getFromContainer };
  export default file;
}

declare module "class-validator/cjs/register-decorator.js" {
  import type { registerDecorator } from "class-validator";
  const file: { registerDecorator: typeof registerDecorator };
  export default file;
}

declare module "class-validator/cjs/validation/Validator.js" {
  import type { Validator } from "class-validator";
  const file: { Validator: typeof Validator };
  export default file;
}

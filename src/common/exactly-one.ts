import {
  registerDecorator,
  ValidationArguments,
  ValidationOptions,
  ValidateIf,
} from 'class-validator';

/**
 * On each property of a group of which a body must carry exactly one: the first property (the
 * group's default) is required when none is given, and any of them refuses company.
 *
 *   @ExactlyOneOf(['code', 'recoveryCode', 'passkey']) on code, recoveryCode and passkey
 */
export function ExactlyOneOf(group: string[], options?: ValidationOptions): PropertyDecorator {
  const given = (object: Record<string, unknown>): string[] =>
    group.filter((name) => object[name] !== undefined);
  return (target: object, property: string | symbol) => {
    // Validated when given, and the group's first member also when none is.
    ValidateIf(
      (object: Record<string, unknown>) =>
        object[property as string] !== undefined ||
        (property === group[0] && given(object).length === 0),
    )(target, property);
    registerDecorator({
      name: 'exactlyOneOf',
      target: target.constructor,
      propertyName: property as string,
      constraints: [group],
      options,
      validator: {
        validate: (_value: unknown, args: ValidationArguments) =>
          given(args.object as Record<string, unknown>).length === 1,
        defaultMessage: (args: ValidationArguments) =>
          given(args.object as Record<string, unknown>).length === 0
            ? `one of ${group.join(', ')} is required`
            : `give only one of ${group.join(', ')}`,
      },
    });
  };
}

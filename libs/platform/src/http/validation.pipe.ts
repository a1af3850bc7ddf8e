import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import type { FieldError } from '#kernel';
import { appendPointer, illFormedStrings, Invalid } from '#kernel';

export function toFieldErrors(errors: readonly ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const pointer = appendPointer(parent, error.property);
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      pointer,
      message: message.startsWith('property ') ? 'unknown field' : message,
    }));
    return [...own, ...toFieldErrors(error.children ?? [], pointer)];
  });
}

/**
 * Refuses request bodies holding strings that are not well-formed Unicode (nothing could store
 * them), then rejects unknown fields and wrong types with one field-level error per problem.
 */
export function createValidationPipe(): PipeTransform {
  const fields = new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new Invalid('the request body has invalid fields', toFieldErrors(errors)),
  });
  return {
    transform(value: unknown, metadata: ArgumentMetadata): unknown {
      if (metadata.type === 'body') {
        const errors = illFormedStrings(value);
        if (errors.length > 0) throw new Invalid('the request body has strings that are not well-formed Unicode', errors);
      }
      return fields.transform(value, metadata);
    },
  };
}

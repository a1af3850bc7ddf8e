import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import type { FieldError } from '#kernel';
import { appendPointer, unstorableJson, Invalid } from '#kernel';

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
 * Refuses request bodies, query strings and path parameters holding strings that nothing could
 * store (NUL, or not well-formed Unicode; see unstorableJson), then rejects unknown fields and
 * wrong types with one field-level error per problem.
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
      if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
        // A single parameter (@Param('id')) is named by its own pointer, a whole body or query by its members'.
        const errors = unstorableJson(value, metadata.data ? appendPointer('', metadata.data) : '');
        if (errors.length > 0) {
          const where = metadata.type === 'body' ? 'the request body' : metadata.type === 'query' ? 'the query string' : 'the path';
          throw new Invalid(`${where} has strings that cannot be stored (NUL, or not well-formed Unicode)`, errors);
        }
      }
      return fields.transform(value, metadata);
    },
  };
}

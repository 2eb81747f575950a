/** The Ajv error objects the standalone validator reports (the fields this project reads). */
export interface ValidationError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly schemaPath: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message?: string;
}

/** The validator generated from schemas/egress.schema.json by scripts/generate-validator.mjs (git-ignored output). */
declare function validate(data: unknown): boolean;
declare namespace validate {
  let errors: readonly ValidationError[] | null | undefined;
}
export default validate;

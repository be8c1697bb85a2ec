import type { ComponentChildren } from 'preact';
import type { FieldErrors } from '../errors.js';
import type { T } from '../i18n/index.js';
import type { ViewContext } from './context.js';

/** A form's state for rendering: what the user typed and what was wrong with it. */
export interface FormState {
  values: Record<string, string>;
  errors: FieldErrors;
}

export const emptyForm = (values: Record<string, string> = {}): FormState => ({ values, errors: {} });

export function errorText(t: T, form: FormState, name: string): string | null {
  const e = form.errors[name];
  return e ? (t(e.key, e.vars ?? {}) as string) : null;
}

/** The error summary at the top of a failed form; each entry links to its field. */
export function ErrorSummary({ ctx, form, labels, idPrefix = '' }: { ctx: ViewContext; form: FormState; labels?: Record<string, string>; idPrefix?: string }) {
  const names = Object.keys(form.errors);
  if (names.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
      <h2 id="error-summary-title">{ctx.t('common.errorSummaryTitle')}</h2>
      <ul>
        {names.map((name) => (
          <li>{name === '_' ? errorText(ctx.t, form, name) : <a href={`#${idPrefix}f-${name}`}>{errorText(ctx.t, form, name)}</a>}</li>
        ))}
      </ul>
      {labels ? null : null}
    </div>
  );
}

/**
 * A message about one field: "Fehler:" before it, so it is not told by colour alone and a screen reader says what it
 * is when it reads the field's description.
 */
export function ErrorMessage({ ctx, id, children, lang }: { ctx: ViewContext; id?: string; children: ComponentChildren; lang?: string }) {
  return <p class="error-message" id={id}><span class="error-prefix">{ctx.t('reflow.errorTitle')}</span><span lang={lang}>{children}</span></p>;
}

export function Form(props: { ctx: ViewContext; action: string; children: ComponentChildren; class?: string; method?: 'post' | 'get' }) {
  const method = props.method ?? 'post';
  return (
    <form method={method} action={props.action} class={props.class ?? 'form'} novalidate>
      {method === 'post' && <input type="hidden" name="_csrf" value={props.ctx.csrf()} />}
      {props.children}
    </form>
  );
}

interface FieldProps {
  ctx: ViewContext;
  form: FormState;
  name: string;
  label: string;
  hint?: string;
  required?: boolean;
  maxLength?: number;
  /** Makes the ids unique where one page repeats a form. */
  idPrefix?: string;
}

function describedBy(id: string, hint: string | undefined, error: string | null): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

const fieldId = (p: { name: string; idPrefix?: string }) => `${p.idPrefix ?? ''}f-${p.name}`;

function FieldFrame(props: FieldProps & { children: ComponentChildren; error: string | null }) {
  const { ctx, label, hint, required, error } = props;
  const id = fieldId(props);
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>
        {label}
        {required ? <span class="req"> ({ctx.t('common.required')})</span> : null}
      </label>
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
      {error && <ErrorMessage ctx={ctx} id={`${id}-error`}>{error}</ErrorMessage>}
      {props.children}
    </div>
  );
}

export function TextField(props: FieldProps & { type?: 'text' | 'email' | 'password' | 'url' | 'date' | 'time' | 'number'; autocomplete?: string; min?: number }) {
  const error = errorText(props.ctx.t, props.form, props.name);
  return (
    <FieldFrame {...props} error={error}>
      <input id={fieldId(props)} name={props.name} type={(props.type ?? 'text') as 'text'}
        value={props.type === 'password' ? '' : props.form.values[props.name] ?? ''}
        required={props.required} maxLength={props.maxLength} autocomplete={props.autocomplete} min={props.min}
        aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy(fieldId(props), props.hint, error)} />
    </FieldFrame>
  );
}

export function TextArea(props: FieldProps & { rows?: number }) {
  const error = errorText(props.ctx.t, props.form, props.name);
  return (
    <FieldFrame {...props} error={error}>
      <textarea id={fieldId(props)} name={props.name} rows={props.rows ?? 5} required={props.required} maxLength={props.maxLength}
        aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy(fieldId(props), props.hint, error)}>
        {props.form.values[props.name] ?? ''}
      </textarea>
    </FieldFrame>
  );
}

export function Select(props: FieldProps & { options: { value: string; label: string; group?: string }[]; placeholder?: string }) {
  const error = errorText(props.ctx.t, props.form, props.name);
  const selected = props.form.values[props.name] ?? '';
  const groups = new Map<string, { value: string; label: string }[]>();
  for (const o of props.options) {
    const g = o.group ?? '';
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push(o);
  }
  const option = (o: { value: string; label: string }) => <option value={o.value} selected={o.value === selected}>{o.label}</option>;
  return (
    <FieldFrame {...props} error={error}>
      <select id={fieldId(props)} name={props.name} required={props.required}
        aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy(fieldId(props), props.hint, error)}>
        {props.placeholder !== undefined && <option value="">{props.placeholder}</option>}
        {[...groups.entries()].map(([g, opts]) => (g ? <optgroup label={g}>{opts.map(option)}</optgroup> : opts.map(option)))}
      </select>
    </FieldFrame>
  );
}

/** A checkbox; its label may hold a link (e.g. to the privacy notice the box confirms). */
export function Checkbox(props: Omit<FieldProps, 'label'> & { label: ComponentChildren; checked?: boolean }) {
  const error = errorText(props.ctx.t, props.form, props.name);
  const checked = props.checked ?? (props.form.values[props.name] === 'on' || props.form.values[props.name] === '1');
  return (
    <div class={error ? 'field field-check field-error' : 'field field-check'}>
      {error && <ErrorMessage ctx={props.ctx} id={`${fieldId(props)}-error`}>{error}</ErrorMessage>}
      <input id={fieldId(props)} name={props.name} type="checkbox" value="1" checked={checked} required={props.required}
        aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy(fieldId(props), props.hint, error)} />
      <label for={fieldId(props)}>{props.label}{props.required ? <span class="req"> ({props.ctx.t('common.required')})</span> : null}</label>
      {props.hint && <p class="hint" id={`${fieldId(props)}-hint`}>{props.hint}</p>}
    </div>
  );
}

export function Submit({ label }: { label: string }) {
  return <div class="actions"><button type="submit" class="button">{label}</button></div>;
}

import contentDisposition from 'content-disposition';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../platform/db/database.js';
import { forbidden, idParam } from '../../platform/errors.js';
import { handleConfirmedForm } from '../../platform/http/confirm-route.js';
import { handleForm } from '../../platform/http/form-route.js';
import { can } from '../../platform/policy.js';
import { emptyForm, type FormState } from '../../platform/views/forms.js';
import { organisationOptions } from '../organisations/service.js';
import { initiativeCsv } from './export.js';
import { followsProcurement } from './notices.js';
import './policy.js';
import * as procurement from './service.js';
import * as v from './views.js';

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

const NEW_DEFAULTS = { unit: 'licence', contract_kind: 'supplies_services', option_months: '0' };

export async function procurementRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const head = v.procurementHead();
  const labels = (request: FastifyRequest) => v.initiativeLabels(request);

  app.get('/beschaffung', { config: { action: 'procurement.view' } }, async (request, reply) => {
    const [items, savings, following] = await Promise.all([
      procurement.initiativeList(db, request.user), procurement.communitySavings(db), followsProcurement(db, request.user!.id),
    ]);
    return reply.page(request.t('procurement.title'), <v.InitiativeList ctx={reply.view()} items={items} savings={savings} following={following} />, { head });
  });

  // Opening and editing ---------------------------------------------------------------------------------
  const showForm = (reply: FastifyReply, form: FormState, action: string, title: string) =>
    reply.page(title, <v.InitiativeForm ctx={reply.view()} form={form} action={action} title={title} />, { status: reply.statusCode, head });

  app.get('/beschaffung/neu', { config: { action: 'procurement.create' } }, (request, reply) =>
    showForm(reply, emptyForm(NEW_DEFAULTS), '/beschaffung/neu', request.t('procurement.createTitle')));
  app.post('/beschaffung/neu', { config: { action: 'procurement.create' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      const { id } = await procurement.createInitiative(db, request.user, procurement.parseInitiative(values, labels(request)));
      return reply.seeOther(`/beschaffung/${id}`, request.t('procurement.created'));
    }, (form) => showForm(reply, form, '/beschaffung/neu', request.t('procurement.createTitle'))));

  /** The lead's edit form; others get 403 before anything is validated. */
  const editable = async (request: IdRequest) => {
    const i = await procurement.initiativeFor(db, request.user, idParam(request.params.id));
    if (!can(request.user, 'initiative.manage', i)) throw forbidden();
    return i;
  };
  app.get<{ Params: { id: string } }>('/beschaffung/:id/bearbeiten', { config: { action: 'procurement.create' } }, async (request, reply) => {
    const i = await editable(request);
    const page = await procurement.initiativePage(db, request.user, i.id);
    const tiers = page.tiers.map((t) => ({ initiative_id: i.id, min_quantity: t.minQuantity, unit_price_cents: t.unitPriceCents }));
    return showForm(reply, emptyForm(procurement.initiativeFormValues(i, tiers)), `/beschaffung/${i.id}/bearbeiten`, request.t('procurement.editTitle', { title: i.title }));
  });
  app.post<{ Params: { id: string } }>('/beschaffung/:id/bearbeiten', { config: { action: 'procurement.create' } }, async (request, reply) => {
    const i = await editable(request);
    const title = request.t('procurement.editTitle', { title: i.title });
    return handleForm(request, reply, async (values) => {
      await procurement.updateInitiative(db, request.user, i.id, procurement.parseInitiative(values, labels(request)));
      return reply.seeOther(`/beschaffung/${i.id}`, request.t('procurement.saved'));
    }, (form) => showForm(reply, form, `/beschaffung/${i.id}/bearbeiten`, title));
  });

  // Own value limit ----------------------------------------------------------------------------------------
  const showLimit = async (request: FastifyRequest, reply: FastifyReply, form?: FormState) => {
    const data = await procurement.limitPage(db, request.user);
    const organisations = can(request.user, 'procurement.limitAny') ? await organisationOptions(db, request.t) : null;
    const state = form ?? emptyForm({
      organisation: String(request.user!.organisationId),
      limit: data.own ? procurement.centsForForm(Number(data.own.limit_cents)) : '', note: data.own?.note ?? '',
    });
    return reply.page(request.t('procurement.limit.title'), <v.LimitPage ctx={reply.view()} form={state} data={data} organisations={organisations} />, { status: reply.statusCode, head });
  };
  app.get('/beschaffung/wertgrenze', { config: { action: 'procurement.limit' } }, (request, reply) => showLimit(request, reply));
  app.post('/beschaffung/wertgrenze', { config: { action: 'procurement.limit' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      const { limitCents } = await procurement.saveLimit(db, request.user, values, labels(request));
      return reply.seeOther('/beschaffung/wertgrenze', request.t(limitCents === null ? 'procurement.limit.removed' : 'procurement.limit.saved'));
    }, (form) => showLimit(request, reply, form)));

  // The initiative page, state changes and declarations ------------------------------------------------------
  const showInitiative = async (request: IdRequest, reply: FastifyReply, form?: FormState) => {
    const page = await procurement.initiativePage(db, request.user, idParam(request.params.id));
    return reply.page(page.initiative.title, <v.InitiativePage ctx={reply.view()} page={page} form={form} />, { status: reply.statusCode, head });
  };
  app.get<{ Params: { id: string } }>('/beschaffung/:id', { config: { action: 'procurement.view' } }, (request, reply) => showInitiative(request, reply));

  app.post<{ Params: { id: string } }>('/beschaffung/:id/status', { config: { action: 'procurement.create' } }, (request, reply) =>
    handleConfirmedForm(request, reply, `/beschaffung/${idParam(request.params.id)}`, async (values, confirmed) => {
      const state = await procurement.changeState(db, request.user, idParam(request.params.id), values.to ?? '', confirmed);
      return reply.seeOther(`/beschaffung/${request.params.id}`, request.t(`procurement.stateChanged.${state}`));
    }, (form) => showInitiative(request, reply, form)));

  const declaration = (action: 'declare' | 'change' | 'withdraw', flash: string) =>
    (request: IdRequest, reply: FastifyReply) => handleForm(request, reply, async (values) => {
      const input = action === 'withdraw' ? undefined : procurement.parseDeclaration(request.user!, values, labels(request));
      if (action === 'withdraw') procurement.parseDeclarationOwner(request.user!, values);
      await procurement.saveDeclaration(db, request.user, idParam(request.params.id), action, input);
      return reply.seeOther(`/beschaffung/${request.params.id}`, request.t(flash, { organisation: request.user!.organisationName }));
    }, (form) => showInitiative(request, reply, form));
  app.post<{ Params: { id: string } }>('/beschaffung/:id/erklaerung', { config: { action: 'procurement.declare' } }, declaration('declare', 'procurement.declared'));
  app.post<{ Params: { id: string } }>('/beschaffung/:id/erklaerung/aendern', { config: { action: 'procurement.declare' } }, declaration('change', 'procurement.declarationChanged'));
  app.post<{ Params: { id: string } }>('/beschaffung/:id/erklaerung/zurueckziehen', { config: { action: 'procurement.declare' } }, declaration('withdraw', 'procurement.withdrawn'));

  // Exports ------------------------------------------------------------------------------------------------------
  app.get<{ Params: { id: string } }>('/beschaffung/:id/export.csv', { config: { action: 'procurement.view' } }, async (request, reply) => {
    const page = await procurement.initiativePage(db, request.user, idParam(request.params.id));
    return reply.type('text/csv; charset=utf-8').header('content-disposition', contentDisposition(`beschaffung-${page.initiative.id}.csv`))
      .header('cache-control', 'no-store').send(initiativeCsv(page, request.t));
  });
  app.get<{ Params: { id: string } }>('/beschaffung/:id/druck', { config: { action: 'procurement.view' } }, async (request, reply) => {
    const page = await procurement.initiativePage(db, request.user, idParam(request.params.id));
    return reply.page(request.t('procurement.print.title', { title: page.initiative.title }), <v.PrintPage ctx={reply.view()} page={page} />, { head });
  });
}

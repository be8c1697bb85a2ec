import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/database.js';
import { handleForm } from '../../platform/http/form-route.js';
import type { T } from '../../platform/i18n/index.js';
import { emptyForm, type FormState } from '../../platform/views/forms.js';
import './policy.js';
import * as ownData from './service.js';
import * as v from './views.js';

const labels = (t: T) => ({ password: t('ownData.currentPassword'), confirm: t('ownData.confirm') });

export async function ownDataRoutes(app: FastifyInstance, { db, config }: { db: Db; config: Config }) {
  const deps: ownData.SelfDeletionDeps = { db, config };

  app.get('/profil/daten.json', { config: { action: 'ownData.export' } }, async (request, reply) => {
    const data = await ownData.exportPersonalData(deps, request.user!.id);
    return reply.header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="meine-daten-${new Date().toISOString().slice(0, 10)}.json"`)
      .header('cache-control', 'private, no-store')
      .send(JSON.stringify(data, null, 2));
  });

  const showDeletion = async (request: FastifyRequest, reply: FastifyReply, form: FormState) => {
    const proof = await ownData.deletionProof(deps, request.user!.id, request.session.get('signedInAt'));
    return reply.page(request.t('ownData.deleteTitle'), <v.DeleteAccountPage ctx={reply.view()} form={form} proof={proof} />, { status: reply.statusCode });
  };
  app.get('/profil/konto-loeschen', { config: { action: 'ownData.delete' } }, (request, reply) => showDeletion(request, reply, emptyForm()));
  app.post('/profil/konto-loeschen', { config: { action: 'ownData.delete' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      await ownData.deleteOwnAccount(deps, request.user!.id, values, labels(request.t), request.session.get('signedInAt'));
      await request.session.destroy();
      request.user = null;
      return reply.page(request.t('ownData.deletedTitle'), <v.AccountDeletedPage ctx={reply.view()} />);
    }, (form) => showDeletion(request, reply, form)));
}

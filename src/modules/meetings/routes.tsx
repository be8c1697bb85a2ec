import fastifyMultipart from '@fastify/multipart';
import contentDisposition from 'content-disposition';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../platform/config.js';
import { spreadsheetCsv } from '../../platform/csv.js';
import type { Db } from '../../platform/db/database.js';
import { AppError, idParam } from '../../platform/errors.js';
import { atomLink } from '../../platform/feeds/atom.js';
import { handleConfirmedForm } from '../../platform/http/confirm-route.js';
import { handleForm } from '../../platform/http/form-route.js';
import { formatDateTime } from '../../platform/i18n/index.js';
import { emptyForm, type FormState } from '../../platform/views/forms.js';
import './policy.js';
import { meetingSections } from './sections.js';
import * as meetings from './service.js';
import * as v from './views.js';

type SlugRequest = FastifyRequest<{ Params: { slug: string } }>;

export async function meetingRoutes(app: FastifyInstance, { db, config }: { db: Db; config: Config }) {
  const deps: meetings.MeetingDeps = { db, config };
  const labels = (request: FastifyRequest) => v.meetingLabels(request);

  // List and calendar feed -----------------------------------------------------------------------------
  app.get('/treffen', { config: { action: 'meetings.view' } }, async (request, reply) => {
    const list = await meetings.meetingList(db, request.user);
    return reply.page(request.t('meetings.title'), <v.MeetingList ctx={reply.view()} list={list} feedUrl={`${config.baseUrl}${v.FEED_PATH}`} />, {
      head: [v.feedLink(reply.view()), atomLink('/treffen/feed.atom', request.t('notifications.feeds.meetingsTitle', { community: config.communityName }))],
    });
  });

  app.get(v.FEED_PATH, { config: { action: 'meetings.view' } }, async (_request, reply) => {
    const ics = await meetings.publicCalendar(deps);
    return reply.type('text/calendar; charset=utf-8').header('content-disposition', contentDisposition('treffen.ics', { type: 'inline' }))
      .header('cache-control', 'no-cache').send(ics);
  });

  // Creating and editing ---------------------------------------------------------------------------------
  const showForm = async (reply: FastifyReply, form: FormState, action: string, title: string) =>
    reply.page(title, <v.MeetingForm ctx={reply.view()} form={form} action={action} title={title} series={await meetings.seriesNames(db)} />, { status: reply.statusCode });

  app.get('/treffen/neu', { config: { action: 'meeting.organise' } }, (request, reply) =>
    showForm(reply, emptyForm({ format: 'in_person', visibility: 'public' }), '/treffen/neu', request.t('meetings.createTitle')));
  app.post('/treffen/neu', { config: { action: 'meeting.organise' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      const { slug } = await meetings.createMeeting(db, request.user, meetings.parseMeeting(values, labels(request)));
      return reply.seeOther(`/treffen/${slug}`, request.t('meetings.created'));
    }, (form) => showForm(reply, form, '/treffen/neu', request.t('meetings.createTitle'))));

  app.get<{ Params: { slug: string } }>('/treffen/:slug/bearbeiten', { config: { action: 'meeting.organise' } }, async (request, reply) => {
    const m = await meetings.meetingFor(db, request.user, request.params.slug);
    return showForm(reply, emptyForm(meetings.meetingFormValues(m)), `/treffen/${m.slug}/bearbeiten`, request.t('meetings.editTitle', { title: m.title }));
  });
  app.post<{ Params: { slug: string } }>('/treffen/:slug/bearbeiten', { config: { action: 'meeting.organise' } }, async (request, reply) => {
    const m = await meetings.meetingFor(db, request.user, request.params.slug);
    const title = request.t('meetings.editTitle', { title: m.title });
    return handleForm(request, reply, async (values) => {
      const { notified } = await meetings.updateMeeting(deps, request.user, m.slug, meetings.parseMeeting(values, labels(request)));
      return reply.seeOther(`/treffen/${m.slug}`, notified ? request.t('meetings.savedNotified', { count: notified }) : request.t('meetings.saved'));
    }, (form) => showForm(reply, form, `/treffen/${m.slug}/bearbeiten`, title));
  });

  // Cancelling the meeting -------------------------------------------------------------------------------
  const showCancel = async (request: SlugRequest, reply: FastifyReply, form: FormState) => {
    const { meeting, counts } = await meetings.meetingPage(db, request.user, request.params.slug);
    const registered = counts.onsite.registered + counts.online.registered + counts.onsite.waiting + counts.online.waiting;
    return reply.page(request.t('meetings.cancelTitle', { title: meeting.title }),
      <v.CancelMeetingPage ctx={reply.view()} meeting={meeting} form={form} registered={registered} />, { status: reply.statusCode });
  };
  app.get<{ Params: { slug: string } }>('/treffen/:slug/absagen', { config: { action: 'meeting.organise' } }, (request, reply) => showCancel(request, reply, emptyForm()));
  app.post<{ Params: { slug: string } }>('/treffen/:slug/absagen', { config: { action: 'meeting.organise' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      const { notified } = await meetings.cancelMeeting(deps, request.user, request.params.slug, values.reason ?? '', values.confirm === '1');
      return reply.seeOther(`/treffen/${request.params.slug}`, request.t('meetings.cancelledFlash', { count: notified }));
    }, (form) => showCancel(request, reply, form)));

  // The meeting page ---------------------------------------------------------------------------------------
  const showMeeting = async (request: SlugRequest, reply: FastifyReply, form?: FormState) => {
    const page = await meetings.meetingPage(db, request.user, request.params.slug);
    const sectionContext = { db, meeting: page.meeting, viewer: request.user, t: request.t, lang: request.lang };
    const extraSections = await Promise.all(meetingSections.map((section) => section(sectionContext)));
    return reply.page(page.meeting.title, <v.MeetingPage ctx={reply.view()} page={page} form={form} extraSections={extraSections} />,
      { status: reply.statusCode, head: v.feedLink(reply.view()) });
  };
  app.get<{ Params: { slug: string } }>('/treffen/:slug', { config: { action: 'meeting.view' } }, (request, reply) => showMeeting(request, reply));

  app.get<{ Params: { slug: string } }>('/treffen/:slug/kalender.ics', { config: { action: 'meeting.view' } }, async (request, reply) => {
    const { ics, slug } = await meetings.meetingCalendarFor(deps, request.user, request.params.slug);
    return reply.type('text/calendar; charset=utf-8').header('content-disposition', contentDisposition(`${slug}.ics`))
      .header('cache-control', 'private, no-cache').send(ics);
  });

  // Registration -------------------------------------------------------------------------------------------
  app.post<{ Params: { slug: string } }>('/treffen/:slug/anmelden', { config: { action: 'meeting.register' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      const own = await meetings.registerForMeeting(deps, request.user, request.params.slug, values.mode);
      const flash = own.status === 'registered'
        ? request.t('meetings.registeredFlash', { mode: request.t(`meetings.modes.${own.mode}`) })
        : request.t('meetings.waitingFlash', { position: own.position });
      return reply.seeOther(`/treffen/${request.params.slug}`, flash);
    }, (form) => showMeeting(request, reply, form)));

  app.post<{ Params: { slug: string } }>('/treffen/:slug/abmelden', { config: { action: 'meeting.register' } }, (request, reply) =>
    handleForm(request, reply, async () => {
      const { was } = await meetings.cancelRegistration(deps, request.user, request.params.slug);
      return reply.seeOther(`/treffen/${request.params.slug}`, request.t(was === 'registered' ? 'meetings.cancelledRegistration' : 'meetings.leftWaitingList'));
    }, (form) => showMeeting(request, reply, form)));

  // Registrations for the organisers ------------------------------------------------------------------------
  const showRegistrations = async (request: SlugRequest, reply: FastifyReply, form?: FormState) => {
    const data = await meetings.registrationsFor(db, request.user, request.params.slug);
    return reply.page(request.t('meetings.registrationsTitle', { title: data.meeting.title }), <v.RegistrationsPage ctx={reply.view()} data={data} form={form} />, { status: reply.statusCode });
  };
  app.get<{ Params: { slug: string } }>('/treffen/:slug/anmeldungen', { config: { action: 'meeting.organise' } }, (request, reply) => showRegistrations(request, reply));
  app.post<{ Params: { slug: string } }>('/treffen/:slug/anmeldungen', { config: { action: 'meeting.organise' } }, (request, reply) =>
    handleForm(request, reply, async () => {
      const raw = (request.body as Record<string, unknown> | undefined)?.attended;
      const ids = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String).filter((s) => /^\d{1,9}$/.test(s)).map(Number);
      const count = await meetings.markAttendance(db, request.user, request.params.slug, ids);
      return reply.seeOther(`/treffen/${request.params.slug}/anmeldungen`, request.t('meetings.attendanceSaved', { count }));
    }, (form) => showRegistrations(request, reply, form)));

  // A message from the organisers to everyone registered or waiting.
  app.post<{ Params: { slug: string } }>('/treffen/:slug/nachricht', { config: { action: 'meeting.organise' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      const count = await meetings.messageParticipants(db, request.user, request.params.slug, values);
      return reply.seeOther(`/treffen/${request.params.slug}/anmeldungen`, request.t('communityNotices.message.sent', { count }));
    }, (form) => showRegistrations(request, reply, form)));

  app.get<{ Params: { slug: string } }>('/treffen/:slug/anmeldungen.csv', { config: { action: 'meeting.organise' } }, async (request, reply) => {
    const { meeting, people } = await meetings.registrationsFor(db, request.user, request.params.slug);
    const t = request.t;
    const header = ['name', 'organisation', 'jobFunction', 'email', 'mode', 'status', 'position', 'registeredAt', 'attended'].map((c) => t(`meetings.columns.${c}`));
    const rows = people.map((p) => [
      p.name, p.organisation_name, p.job_function, p.email, t(`meetings.modes.${p.mode}`), t(`meetings.registrationStatus.${p.status}`),
      p.position ?? '', formatDateTime(p.promoted_at ?? p.created_at, request.lang), p.status === 'registered' ? t(p.attended ? 'common.yes' : 'common.no') : '',
    ]);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', contentDisposition(`anmeldungen-${meeting.slug}.csv`))
      .header('cache-control', 'no-store').send(spreadsheetCsv(header, rows));
  });

  // Materials and minutes ----------------------------------------------------------------------------------
  const showMaterials = async (request: SlugRequest, reply: FastifyReply, which?: v.MaterialForm, form?: FormState) => {
    const { meeting, materials } = await meetings.materialsPage(db, request.user, request.params.slug);
    return reply.page(request.t('meetings.materialsTitle', { title: meeting.title }),
      <v.MaterialsPage ctx={reply.view()} meeting={meeting} materials={materials} which={which} form={form} />, { status: reply.statusCode });
  };
  app.get<{ Params: { slug: string } }>('/treffen/:slug/material', { config: { action: 'meeting.organise' } }, (request, reply) => showMaterials(request, reply));

  const materialForm = (which: v.MaterialForm, save: (request: SlugRequest, values: Record<string, string>) => Promise<unknown>, flash: string) =>
    (request: SlugRequest, reply: FastifyReply) => handleForm(request, reply, async (values) => {
      await save(request, values);
      return reply.seeOther(`/treffen/${request.params.slug}/material`, request.t(flash));
    }, (form) => showMaterials(request, reply, which, form));

  app.post<{ Params: { slug: string } }>('/treffen/:slug/material/link', { config: { action: 'meeting.organise' } },
    materialForm('link', (request, values) => meetings.addLinkMaterial(db, request.user, request.params.slug, values, labels(request)), 'meetings.linkAdded'));
  app.post<{ Params: { slug: string } }>('/treffen/:slug/material/loesung', { config: { action: 'meeting.organise' } },
    materialForm('solution', (request, values) => meetings.addSolutionMaterial(db, request.user, request.params.slug, values, labels(request)), 'meetings.solutionAdded'));
  app.post<{ Params: { slug: string } }>('/treffen/:slug/protokoll', { config: { action: 'meeting.organise' } },
    materialForm('minutes', (request, values) => meetings.saveMinutes(db, request.user, request.params.slug, values, labels(request)), 'meetings.minutesSaved'));
  app.post<{ Params: { slug: string; id: string } }>('/treffen/:slug/material/:id/entfernen', { config: { action: 'meeting.organise' } }, (request, reply) =>
    handleConfirmedForm(request, reply, `/treffen/${request.params.slug}/material`, async (_values, confirmed) => {
      await meetings.removeMaterial(db, request.user, request.params.slug, idParam(request.params.id), confirmed);
      return reply.seeOther(`/treffen/${request.params.slug}/material`, request.t('meetings.materialRemoved'));
    }, (form) => showMaterials(request, reply, undefined, form)));

  app.get<{ Params: { slug: string; id: string } }>('/treffen/:slug/material/:id', { config: { action: 'meeting.view' } }, async (request, reply) => {
    const file = await meetings.downloadMaterial(db, request.user, request.params.slug, idParam(request.params.id));
    return reply.type(file.contentType).header('content-disposition', contentDisposition(file.fileName))
      .header('cache-control', 'private, no-cache').send(file.content);
  });

  // Uploads: multipart bodies only here, read by the handler itself. Session, role and form token (in the form's
  // address) are checked before (platform hooks), then whether the person may add material to this meeting; only
  // then is the body read, the file part streamed with its size limit: what goes past it is discarded unread.
  await app.register(async (uploads) => {
    await uploads.register(fastifyMultipart, { limits: UPLOAD_LIMITS });
    uploads.post<{ Params: { slug: string } }>('/treffen/:slug/material/datei', {
      config: { action: 'meeting.organise', csrfInQuery: true },
      preHandler: async (request) => { await meetings.meetingForMaterial(db, request.user, request.params.slug); },
    }, async (request, reply) => {
      const received = await readUpload(request);
      request.body = received.values;
      if (received.tooLarge) {
        reply.status(413);
        return showMaterials(request, reply, 'file', {
          values: received.values, errors: { file: { key: 'meetings.errors.fileTooLarge', vars: { max: meetings.MAX_FILE_BYTES / 1024 / 1024 } } },
        });
      }
      return materialForm('file', (r, values) => meetings.addFileMaterial(db, r.user, r.params.slug, values, received.upload, labels(r)), 'meetings.fileAdded')(request, reply);
    });
  });
}

/** One file and a few short fields; enough for the upload form, little for anything else. */
const UPLOAD_LIMITS = { fileSize: meetings.MAX_FILE_BYTES, files: 1, fields: 10, fieldSize: 8 * 1024, parts: 12, headerPairs: 100 };

/**
 * Reads the upload form: its fields, and the file part while it stays within the limit. A file over the limit
 * stops the reading (the rest of the body is discarded unread); a body that is not well-formed multipart
 * (cut off, without boundary, too many parts) is a 400 with a message, never a server error.
 */
async function readUpload(request: FastifyRequest): Promise<{ values: Record<string, string>; upload?: meetings.Upload; tooLarge: boolean }> {
  const values: Record<string, string> = {};
  let upload: meetings.Upload | undefined;
  const stopReading = () => {
    request.raw.unpipe();
    request.raw.resume();
  };
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        if (typeof part.value === 'string' && part.fieldname !== '_csrf') values[part.fieldname] = part.value;
        continue;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of part.file) if (part.fieldname === 'file' && !upload) chunks.push(chunk as Buffer);
      if (part.file.truncated) {
        stopReading();
        return { values, tooLarge: true };
      }
      if (part.fieldname === 'file' && !upload) upload = { filename: part.filename, content: Buffer.concat(chunks), truncated: false };
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      stopReading();
      return { values, tooLarge: true };
    }
    stopReading();
    request.log.info({ err }, 'upload not readable');
    throw new AppError('UPLOAD_MALFORMED', 400, 'meetings.uploads.malformed', 'meetings.uploads.malformedTitle');
  }
  return { values, upload, tooLarge: false };
}

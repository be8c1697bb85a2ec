import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseAtom, textOf, type AtomNode } from '../../../test/support/atom.js';
import { makeSolution, solutionForm, viewerOf } from '../../../test/support/catalogue.js';
import { Visitor } from '../../../test/support/client.js';
import { completeSetup, createUser, signedIn } from '../../../test/support/factories.js';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { makeMeeting, organiser } from '../../../test/support/meetings.js';
import { parseSolution, updateSolution } from '../catalogue/service.js';

const db = (t: TestApp) => t.database.db;

async function feed(t: TestApp, url: string) {
  const res = await new Visitor(t.app).get(url);
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/atom+xml; charset=utf-8');
  return parseAtom(res.body);
}

const entryFor = (entries: AtomNode[], path: string) => entries.find((e) => e.link.some((l: AtomNode) => l['@href'] === `http://localhost:3000${path}`));

/** The feed links announced in a page's head. */
function announcedFeeds(html: string): string[] {
  const head = /<head>([\s\S]*?)<\/head>/.exec(html)![1];
  return [...head.matchAll(/<link rel="alternate" type="application\/atom\+xml" href="([^"]+)" title="([^"]+)"\/?>/g)].map((m) => `${m[1]} ${m[2]}`);
}

describe('Atom feeds of the platform', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
  });
  after(() => t.close());

  it('lists public solutions, newest change first, with ids that stay when a solution changes', async () => {
    const author = await viewerOf(db(t), (await createUser(db(t), { organisation: 'Olpe' })).id);
    await makeSolution(db(t), author, { title: 'Bürger-Chatbot', summary: 'Beantwortet Fragen rund um die Uhr & mehr.' });
    await makeSolution(db(t), author, { title: 'Nur für Mitglieder', summary: 'Intern.', visibility: 'members' });
    await makeSolution(db(t), author, { title: 'Entwurf', summary: 'Noch nicht fertig.', visibility: 'draft' });
    const second = await makeSolution(db(t), author, { title: 'Schlaglocherkennung', summary: 'Findet Schlaglöcher.' });

    const { feed: f, entries } = await feed(t, '/loesungen/feed.atom');
    assert.equal(textOf(f.title), 'Neue und geänderte Lösungen – KI-Community Südwestfalen');
    assert.equal(f.link.find((l: AtomNode) => l['@rel'] === 'self')['@href'], 'http://localhost:3000/loesungen/feed.atom');
    assert.deepEqual(entries.map((e) => textOf(e.title)), ['Schlaglocherkennung', 'Bürger-Chatbot']);
    const chatbot = entryFor(entries, '/loesungen/buerger-chatbot')!;
    assert.equal(textOf(chatbot.summary), 'Beantwortet Fragen rund um die Uhr & mehr.');
    assert.equal(chatbot.author[0].name, 'Olpe');
    assert.match(textOf(chatbot.id), /^tag:localhost,2026-11-27:solution:\d+$/);

    await updateSolution(db(t), author, 'buerger-chatbot', parseSolution(solutionForm({ title: 'Bürger-Chatbot 2.0', summary: 'Jetzt mit Sprache.' }), {}));
    const again = (await feed(t, '/loesungen/feed.atom')).entries;
    assert.equal(textOf(again[0].title), 'Bürger-Chatbot 2.0');
    assert.equal(textOf(again[0].id), textOf(chatbot.id), 'the same id after the change');
    assert.ok(textOf(again[0].updated) > textOf(chatbot.updated));
    assert.equal(textOf(again[1].id), textOf(entryFor(entries, `/loesungen/${second.slug}`)!.id));
  });

  it('lists public meetings but not those for members only', async () => {
    const org = await organiser(db(t));
    const open = await makeMeeting(db(t), org, { title: 'KI-Stammtisch Olpe', visibility: 'public' });
    await makeMeeting(db(t), org, { title: 'Internes Treffen', visibility: 'members' });
    const { feed: f, entries } = await feed(t, '/treffen/feed.atom');
    assert.equal(textOf(f.title), 'Treffen – KI-Community Südwestfalen');
    assert.deepEqual(entries.map((e) => textOf(e.title)), ['KI-Stammtisch Olpe']);
    const entry = entryFor(entries, `/treffen/${open.slug}`)!;
    assert.equal(textOf(entry.id), `tag:localhost,2026-11-27:meeting:${open.id}`);
    assert.equal(textOf(entry.published), open.created_at);
    assert.match(textOf(entry.summary), /vor Ort · Kreishaus Olpe, Westfälische Straße 75, 57462 Olpe · Anmeldung offen$/);
  });

  it('announces each feed in the head of its list page, for visitors and members alike', async () => {
    const visitor = new Visitor(t.app);
    assert.deepEqual(announcedFeeds((await visitor.get('/loesungen')).body), ['/loesungen/feed.atom Neue und geänderte Lösungen – KI-Community Südwestfalen']);
    // The cached page for visitors carries it too.
    assert.deepEqual(announcedFeeds((await visitor.get('/loesungen')).body), ['/loesungen/feed.atom Neue und geänderte Lösungen – KI-Community Südwestfalen']);
    assert.deepEqual(announcedFeeds((await visitor.get('/treffen')).body), ['/treffen/feed.atom Treffen – KI-Community Südwestfalen']);
    const { visitor: member } = await signedIn(t.app, db(t));
    assert.deepEqual(announcedFeeds((await member.get('/loesungen')).body), ['/loesungen/feed.atom Neue und geänderte Lösungen – KI-Community Südwestfalen']);
    assert.deepEqual(announcedFeeds((await member.get('/treffen')).body), ['/treffen/feed.atom Treffen – KI-Community Südwestfalen']);
  });
});

/**
 * Common words of municipal administration and AI, known before any entry exists,
 * so compounds of the very first entries can already be split.
 */
export const SEED_LEXICON = `
abfall abfrage abgabe abrechnung abwasser akte amt anfrage anmeldung antrag antwort anwendung arbeit assistent aufgabe auskunft ausweis auswertung automat avatar
bau bauantrag baum bearbeitung beratung bericht beschwerde bescheid betrieb bewerbung bild bildung buerger bürger buergerservice bürgerservice bus
chat chatbot daten datenschutz dienst dienstleistung digital dokument drohne einsatz energie entscheidung erfassung erkennung ermittlung fahrzeug feuer feuerwehr
finanz flaeche fläche foerderung förderung formular forst frage friedhof gebaeude gebäude gebuehr gebühr gefahr gemeinde genehmigung geo gesundheit gewerbe gruen grün
hilfe hochwasser hund kamera karte kita klima kommune kontrolle kosten kreis kuenstlich künstlich lage lern licht luft management meldung melde mensch modell
musterung netz nutzung ordnung organisation parken parkplatz personal pflege plan planung pruefung prüfung rat rathaus recht regen register rente risiko
sachbearbeitung schlag schlagloch loch schule schutz service sicherheit smartphone sozial sprache stadt stand steuer strasse straße strom system technik telefon termin text
uebersetzung übersetzung umwelt unterstuetzung unterstützung verkehr verwaltung vorhersage vorgang wald wasser wetter wirtschaft wohnung zentrale zugang
starkregen stark erkennen vorhersagen telefonservice sprachassistent spracherkennung texterkennung bilderkennung objekterkennung
`.trim().split(/\s+/);

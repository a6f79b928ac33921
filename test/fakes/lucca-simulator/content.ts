/** Deterministic export data: accented names, both amount formats, several time types. */

const PEOPLE = [
  { id: 101, lastName: 'Müller', firstName: 'Élodie' },
  { id: 102, lastName: 'Núñez', firstName: 'José' },
  { id: 103, lastName: 'Brontë', firstName: 'Zoë' },
  { id: 104, lastName: "O'Brien", firstName: 'Siobhán' },
];

const TIME_TYPES = [
  { id: 1, name: 'Heures normales', payTreatment: 'Normal', externalCode: 'HN' },
  { id: 2, name: 'Heures supplémentaires 25 %', payTreatment: 'Overtime', externalCode: 'HS25' },
  { id: 3, name: 'Astreinte', payTreatment: 'Bonus', externalCode: 'AST' },
];

/** Numbers and Lucca timespans (`d.hh:mm:ss`) alternate, as both occur. */
const AMOUNTS: (number | string)[] = [7.5, '0.07:30:00', 2, '1.02:30:00', '03:45:00'];

export function entriesFor(exportId: number, count: number, endsAt: string): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => {
    const person = PEOPLE[i % PEOPLE.length]!;
    const timeType = TIME_TYPES[i % TIME_TYPES.length]!;
    return {
      id: exportId * 10_000 + i + 1,
      name: `${person.firstName} ${person.lastName} — ${timeType.name}`,
      amount: AMOUNTS[i % AMOUNTS.length],
      amountUnit: 'Hour',
      externalCode: timeType.externalCode,
      endsAt: `${endsAt}T00:00:00`,
      owner: person,
      timeType: { id: timeType.id, name: timeType.name, payTreatment: timeType.payTreatment },
      axisSections: [
        {
          id: 7,
          name: 'Établissement Lyon',
          code: 'LYO',
          axisId: 1,
          active: true,
          startOn: null,
          endOn: null,
        },
      ],
    };
  });
}

const BLOCK_SIZE = 64 * 1024;
let block: Buffer | undefined;

/** About 64 KiB of CSV-like UTF-8 text, built once and sliced for every file (files may be hundreds of MB). */
export function contentBlock(): Buffer {
  if (block) return block;
  const lines = ['Matricule;Nom;Prénom;Type;Heures'];
  let size = 0;
  for (let i = 0; size < BLOCK_SIZE; i++) {
    const person = PEOPLE[i % PEOPLE.length]!;
    const timeType = TIME_TYPES[i % TIME_TYPES.length]!;
    const line = `${person.id};${person.lastName};${person.firstName};${timeType.name};${(i % 9) + 0.5}`;
    lines.push(line);
    size += Buffer.byteLength(line) + 1;
  }
  // Whole lines only, so that repeated blocks stay valid UTF-8 (only a file's last block is cut).
  block = Buffer.from(`${lines.join('\n')}\n`);
  return block;
}

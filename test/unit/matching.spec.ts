import {
  AccountMatch,
  CatalogRef,
  MAX_SUGGESTIONS,
  MIN_SUGGESTION_SCORE,
  PsaCompanyRef,
  VendorAccountRef,
  VendorServiceRef,
  matchAccounts,
  normalizeName,
  suggestProducts,
  websiteLabel,
} from '../../src/mapping/matching';

const SUFFIX_REASON = 'Same name apart from punctuation or legal suffix (Inc, LLC, …)';
const AMP_REASON = "Same name with '&' for 'and'";

function company(
  id: number,
  identifier: string,
  name: string,
  extra: Partial<PsaCompanyRef> = {},
): PsaCompanyRef {
  return { id, identifier, name, deletedFlag: false, status: 'Active', ...extra };
}

let nextAccountId = 1;
function account(
  name: string,
  externalNumber: string | null = null,
  website: string | null = null,
): VendorAccountRef {
  return { accountId: nextAccountId++, name, externalNumber, website };
}

function matchOne(acc: VendorAccountRef, companies: PsaCompanyRef[]): AccountMatch {
  const [m] = matchAccounts([acc], companies);
  return m;
}

// ---------------------------------------------------------------------------------------------------------
// Demo data set (the numbers used across the product's screenshots and docs)

const demoCompanies: PsaCompanyRef[] = [
  company(250, 'ContosoDental', 'Contoso Dental Group'),
  company(251, 'FabrikamLegal', 'Fabrikam Legal LLP'),
  company(252, 'NorthwindTraders', 'Northwind Traders'),
  company(253, 'TailspinToys', 'Tailspin Toys, Inc.'),
  company(254, 'AdventureWorks', 'Adventure Works Cycles'),
  company(255, 'WoodgroveBank', 'Woodgrove Bank'),
  company(256, 'LitwareInc', 'Litware Inc'),
  company(257, 'AlpineSki', 'Alpine Ski House'),
  company(258, 'BlueYonder', 'Blue Yonder Airlines'),
  company(259, 'CohoWinery', 'Coho Winery & Vineyard'),
  company(260, 'FourthCoffee', 'Fourth Coffee'),
  company(261, 'WideWorld', 'Wide World Importers'),
  company(262, 'ProsewareOld', 'Proseware (old - do not use)', { deletedFlag: true, status: 'Inactive' }),
  company(263, 'Proseware', 'Proseware, Inc.'),
  company(264, 'GraphicDesign', 'Graphic Design Institute'),
];

type DemoRow = [
  name: string,
  externalNumber: string | null,
  website: string | null,
  auto: { companyId: number; method: 'external_number' | 'exact_name' } | null,
  topSuggestion: { companyId: number; score: number; reason: string } | null,
];

const demoRows: DemoRow[] = [
  [
    'Contoso Dental Group',
    'ContosoDental',
    'contosodental.example',
    { companyId: 250, method: 'external_number' },
    null,
  ],
  ['Fabrikam Legal LLP', null, 'fabrikamlegal.example', { companyId: 251, method: 'exact_name' }, null],
  ['Northwind Traders', null, null, { companyId: 252, method: 'exact_name' }, null],
  ['Acme Managed IT (Partner)', null, 'acme.example', null, null],
  ['Tailspin Toys', null, 'tailspintoys.example', null, { companyId: 253, score: 95, reason: SUFFIX_REASON }],
  ['Adventure Works Cycles', 'AdventureWorks', null, { companyId: 254, method: 'external_number' }, null],
  ['WOODGROVE BANK', null, null, { companyId: 255, method: 'exact_name' }, null],
  ['Litware, Inc.', null, 'litware.example', null, { companyId: 256, score: 95, reason: SUFFIX_REASON }],
  ['Alpine Ski House', null, null, { companyId: 257, method: 'exact_name' }, null],
  [
    'Coho Winery and Vineyard',
    null,
    'cohowinery.example',
    null,
    { companyId: 259, score: 92, reason: AMP_REASON },
  ],
  ['Proseware Inc', null, 'proseware.example', null, { companyId: 263, score: 95, reason: SUFFIX_REASON }],
  ['Fourth Coffee', 'FourthCoffee', null, { companyId: 260, method: 'external_number' }, null],
  ['Wingtip Toys', null, 'wingtiptoys.example', null, null],
  ['Graphic Design Institute', null, null, { companyId: 264, method: 'exact_name' }, null],
];

describe('matchAccounts: demo data set', () => {
  const accounts = demoRows.map(([name, ext, web]) => account(name, ext, web));
  const results = matchAccounts(accounts, demoCompanies);

  it('returns one result per account, in input order', () => {
    expect(results.map((r) => r.accountId)).toEqual(accounts.map((a) => a.accountId));
  });

  it.each(demoRows.map((row, i) => [row[0], i] as const))('%s', (_name, i) => {
    const [, , , auto, top] = demoRows[i];
    const r = results[i];
    expect(r.auto).toEqual(auto);
    expect(r.ambiguous).toBe(false);
    if (auto) expect(r.suggestions).toEqual([]);
    if (top) expect(r.suggestions[0]).toEqual(top);
    if (!auto && !top) expect(r.suggestions).toEqual([]);
  });

  it('auto-matches exactly the 8 expected accounts', () => {
    const auto = results.filter((r) => r.auto).map((r) => r.auto!.companyId);
    expect(auto.sort()).toEqual([250, 251, 252, 254, 255, 257, 260, 264]);
  });

  it('never matches or suggests the deleted Proseware (262)', () => {
    for (const r of results) {
      expect(r.auto?.companyId).not.toBe(262);
      expect(r.suggestions.map((s) => s.companyId)).not.toContain(262);
    }
  });

  it('gives every suggestion an integer score in 50..100 and a reason, at most 3, best first', () => {
    for (const r of results) {
      expect(r.suggestions.length).toBeLessThanOrEqual(MAX_SUGGESTIONS);
      for (const s of r.suggestions) {
        expect(Number.isInteger(s.score)).toBe(true);
        expect(s.score).toBeGreaterThanOrEqual(MIN_SUGGESTION_SCORE);
        expect(s.score).toBeLessThanOrEqual(100);
        expect(s.reason.length).toBeGreaterThan(0);
      }
      const scores = r.suggestions.map((s) => s.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    }
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('normalizeName', () => {
  it.each([
    ['  Contoso   Dental\tGroup ', 'contoso dental group'],
    ['WOODGROVE BANK', 'woodgrove bank'],
    ['Tailspin Toys, Inc.', 'tailspin toys, inc.'],
    ['', ''],
    ['   ', ''],
  ])('%j -> %j', (input, expected) => {
    expect(normalizeName(input)).toBe(expected);
  });
});

describe('websiteLabel', () => {
  it.each([
    ['contosodental.example', 'contosodental'],
    ['https://www.contosodental.example/about?x=1', 'contosodental'],
    ['HTTP://WWW.Contoso-Dental.example:8080', 'contoso-dental'],
    ['//cdn.fabrikam.example/', 'cdn'],
    ['www2.litware.example', 'litware'],
    ['info@proseware.example', 'proseware'],
    ['  ', null],
    [null, null],
    ['192.168.0.1', null],
  ])('%j -> %j', (input, expected) => {
    expect(websiteLabel(input)).toBe(expected);
  });
});

describe('matchAccounts: auto-match rules', () => {
  const companies = [
    company(1, 'ACME', 'Acme Corp'),
    company(2, 'ACME2', 'Acme Corp'),
    company(3, 'Contoso', 'Contoso Ltd'),
    company(4, '3', 'Seven Seas'),
    company(5, 'Globex', 'Globex'),
  ];
  type Auto = AccountMatch['auto'];

  it.each<[string, VendorAccountRef, Auto, boolean]>([
    [
      'external number = identifier',
      account('whatever', 'Contoso'),
      { companyId: 3, method: 'external_number' },
      false,
    ],
    [
      'external number, case-insensitive and trimmed',
      account('whatever', '  contoso '),
      { companyId: 3, method: 'external_number' },
      false,
    ],
    [
      'external number = numeric company id',
      account('whatever', '5'),
      { companyId: 5, method: 'external_number' },
      false,
    ],
    [
      'external number wins over a name hit',
      account('Globex', 'Contoso'),
      { companyId: 3, method: 'external_number' },
      false,
    ],
    [
      'external number wins over an ambiguous name',
      account('Acme Corp', 'ACME2'),
      { companyId: 2, method: 'external_number' },
      false,
    ],
    [
      'unknown external number falls through to the name',
      account('Globex', 'NOPE'),
      { companyId: 5, method: 'exact_name' },
      false,
    ],
    [
      'blank external number is ignored',
      account('Globex', '  '),
      { companyId: 5, method: 'exact_name' },
      false,
    ],
    [
      'exact name, case and whitespace only',
      account('  GLOBEX '),
      { companyId: 5, method: 'exact_name' },
      false,
    ],
    [
      'exact name including punctuation',
      account('contoso   LTD'),
      { companyId: 3, method: 'exact_name' },
      false,
    ],
    ['same name as two companies', account('Acme Corp'), null, true],
    ['external number = identifier of one and id of another', account('x', '3'), null, true],
    ['empty name never matches', account('   '), null, false],
  ])('%s', (_label, acc, auto, ambiguous) => {
    const r = matchOne(acc, companies);
    expect(r.accountId).toBe(acc.accountId);
    expect(r.auto).toEqual(auto);
    expect(r.ambiguous).toBe(ambiguous);
    if (auto) expect(r.suggestions).toEqual([]);
  });

  it('lists every ambiguous name candidate at 100 with a "choose one" reason, by name then id', () => {
    const r = matchOne(account('ACME CORP'), companies);
    expect(r.suggestions).toEqual([
      { companyId: 1, score: 100, reason: 'Same name as 2 companies; choose one' },
      { companyId: 2, score: 100, reason: 'Same name as 2 companies; choose one' },
    ]);
  });

  it('lists every ambiguous external-number candidate', () => {
    const r = matchOne(account('Globex', '3'), companies);
    expect(r.auto).toBeNull();
    expect(r.ambiguous).toBe(true);
    expect(r.suggestions).toEqual([
      { companyId: 3, score: 100, reason: 'External number 3 matches 2 companies; choose one' },
      { companyId: 4, score: 100, reason: 'External number 3 matches 2 companies; choose one' },
    ]);
  });

  it('lists more than 3 candidates when more than 3 companies share the name', () => {
    const many = [1, 2, 3, 4, 5].map((id) => company(id, `T${id}`, 'Test Co'));
    const r = matchOne(account('test co'), many);
    expect(r.ambiguous).toBe(true);
    expect(r.suggestions.map((s) => s.companyId)).toEqual([1, 2, 3, 4, 5]);
    expect(r.suggestions[0].reason).toBe('Same name as 5 companies; choose one');
  });

  it('does not let an account auto-match a company twice in the same call (each account is independent)', () => {
    const results = matchAccounts([account('Globex'), account('GLOBEX')], companies);
    expect(results.map((r) => r.auto)).toEqual([
      { companyId: 5, method: 'exact_name' },
      { companyId: 5, method: 'exact_name' },
    ]);
  });

  it('returns an empty list for no accounts, and no matches for no companies', () => {
    expect(matchAccounts([], companies)).toEqual([]);
    const acc = account('Globex', '5', 'globex.example');
    expect(matchAccounts([acc], [])).toEqual([
      { accountId: acc.accountId, auto: null, suggestions: [], ambiguous: false },
    ]);
  });
});

describe('matchAccounts: deleted and inactive companies', () => {
  const cases: [string, Partial<PsaCompanyRef>, boolean][] = [
    ['deleted', { deletedFlag: true }, false],
    ['status Inactive', { status: 'Inactive' }, false],
    ['status "Not Approved"', { status: 'Not Approved' }, false],
    ['status blank', { status: '' }, false],
    ['status "active" (lower-case)', { status: 'active' }, true],
    ['status " ACTIVE " (padded)', { status: ' ACTIVE ' }, true],
  ];

  it.each(cases)('%s', (_label, extra, usable) => {
    const companies = [company(10, 'Globex', 'Globex Inc', extra)];
    const inputs = [
      account('Globex Inc'), // exact name
      account('x', 'Globex'), // external number = identifier
      account('x', '10'), // external number = id
      account('Globex'), // suffix
      account('Globex Incorporated'), // suffix
      account('Someone', null, 'https://globex.example'), // domain
      account('Globex Industries'), // words
    ];
    const results = matchAccounts(inputs, companies);
    const touched = results.filter((r) => r.auto || r.suggestions.length);
    expect(touched.length).toBe(usable ? inputs.length : 0);
  });

  it('a deleted twin does not make an exact name ambiguous', () => {
    const companies = [
      company(1, 'Old', 'Proseware', { deletedFlag: true, status: 'Inactive' }),
      company(2, 'New', 'Proseware'),
    ];
    expect(matchOne(account('Proseware'), companies)).toMatchObject({
      auto: { companyId: 2, method: 'exact_name' },
      ambiguous: false,
    });
  });

  it('an inactive company with the same identifier does not block the active one', () => {
    const companies = [company(1, 'Dup', 'Dup Old', { status: 'Inactive' }), company(2, 'dup', 'Dup New')];
    expect(matchOne(account('x', 'DUP'), companies).auto).toEqual({
      companyId: 2,
      method: 'external_number',
    });
  });
});

describe('matchAccounts: suggestion signals', () => {
  const companies = [
    company(100, 'Contoso', 'Contoso Ltd'),
    company(101, 'Coho', 'Coho Winery & Vineyard'),
    company(102, 'Northwind', 'Northwind Traders Co. LLC'),
    company(103, 'BlueYonder', 'Blue Yonder Airlines'),
    company(104, 'TheFabrikam', 'Fabrikam Legal Services'),
    company(105, 'Inc', 'Inc Solutions'),
    company(106, 'MSP-77', 'Cafe Ole'),
    company(107, 'Humongous', 'Humongous Insurance Agency'),
  ];

  it.each<[string, VendorAccountRef, { companyId: number; score: number; reason: string }[]]>([
    ['suffix removed', account('Contoso'), [{ companyId: 100, score: 95, reason: SUFFIX_REASON }]],
    ['different suffix', account('Contoso, LLC'), [{ companyId: 100, score: 95, reason: SUFFIX_REASON }]],
    [
      'several trailing suffixes',
      account('Northwind Traders'),
      [{ companyId: 102, score: 95, reason: SUFFIX_REASON }],
    ],
    [
      'punctuation only',
      account('Blue-Yonder Airlines.'),
      [{ companyId: 103, score: 95, reason: SUFFIX_REASON }],
    ],
    ['accents and case', account('CAFÉ OLÉ, Inc.'), [{ companyId: 106, score: 95, reason: SUFFIX_REASON }]],
    [
      "'and' for '&'",
      account('Coho Winery and Vineyard'),
      [{ companyId: 101, score: 92, reason: AMP_REASON }],
    ],
    [
      "'&' plus suffix",
      account('Coho Winery and Vineyard, Inc.'),
      [{ companyId: 101, score: 92, reason: AMP_REASON }],
    ],
    [
      'website domain = company ID',
      account('Humongous Ins.', null, 'https://www.humongous.example/contact'),
      [{ companyId: 107, score: 85, reason: 'Website domain humongous matches company ID' }],
    ],
    [
      'website domain = company name without spaces',
      account('BYA', null, 'blueyonderairlines.example'),
      [{ companyId: 103, score: 85, reason: 'Website domain blueyonderairlines matches company name' }],
    ],
    [
      'website domain with a hyphen = company ID',
      account('Alias', null, 'http://msp-77.example'),
      [{ companyId: 106, score: 85, reason: 'Website domain msp-77 matches company ID' }],
    ],
    [
      'shared words (3 of 4 -> Jaccard 0.75)',
      account('Blue Yonder Airlines Europe'),
      [{ companyId: 103, score: 65, reason: 'Shares words: blue, yonder, airlines' }],
    ],
    [
      'shared words ignore stop words and legal suffixes',
      account('The Fabrikam Legal Services of Ohio Ltd'),
      [{ companyId: 104, score: 65, reason: 'Shares words: fabrikam, legal, services' }],
    ],
    [
      'all words shared, different stop words',
      account('The Humongous Insurance Agency'),
      [{ companyId: 107, score: 80, reason: 'Shares words: humongous, insurance, agency' }],
    ],
    [
      'legal words are only removed when trailing',
      account('Solutions'),
      [{ companyId: 105, score: 50, reason: 'Shares words: solutions' }],
    ],
    ['half the words shared is not enough when the company has more', account('Blue Skies'), []],
  ])('%s', (_label, acc, expected) => {
    const r = matchOne(acc, companies);
    expect(r.auto).toBeNull();
    expect(r.ambiguous).toBe(false);
    expect(r.suggestions).toEqual(expected);
  });

  it('takes the best signal per company', () => {
    // Same as the company apart from the suffix (95), and its website also names the company ID (85).
    const r = matchOne(account('Contoso', null, 'contoso.example'), companies);
    expect(r.suggestions).toEqual([{ companyId: 100, score: 95, reason: SUFFIX_REASON }]);
  });

  it('ranks by score, then name, then id, and keeps at most 3', () => {
    const list = [
      company(5, 'e', 'Tailspin Toys Zeta'),
      company(4, 'd', 'Tailspin Toys Alpha'),
      company(3, 'c', 'Tailspin Toys Beta'),
      company(2, 'b', 'Tailspin Toys Alpha'), // same name as 4: lower id first
      company(1, 'tailspintoys', 'Unrelated Name'),
    ];
    const r = matchOne(account('Tailspin Toys', null, 'tailspintoys.example'), list);
    expect(r.suggestions).toEqual([
      { companyId: 1, score: 85, reason: 'Website domain tailspintoys matches company ID' },
      { companyId: 2, score: 60, reason: 'Shares words: tailspin, toys' },
      { companyId: 4, score: 60, reason: 'Shares words: tailspin, toys' },
    ]);
  });

  it('suggests nothing below 50 (Wingtip Toys vs Tailspin Toys shares 1 of 3 words)', () => {
    const r = matchOne(account('Wingtip Toys'), [company(1, 'TailspinToys', 'Tailspin Toys, Inc.')]);
    expect(r.suggestions).toEqual([]);
  });

  it('scores exactly half the words in common at 50', () => {
    const r = matchOne(account('Northwind Traders'), [
      company(1, 'NWTH', 'Northwind Traders Holdings Europe'),
    ]);
    expect(r.suggestions).toEqual([{ companyId: 1, score: 50, reason: 'Shares words: northwind, traders' }]);
  });

  it('still counts very common words when scoring, even though they do not generate candidates', () => {
    const list: PsaCompanyRef[] = [];
    for (let i = 0; i < 500; i++) list.push(company(1000 + i, `C${i}`, `Firm${i} Consulting`));
    list.push(company(1, 'ZETA', 'Zeta Consulting Group'));
    const r = matchOne(account('Zeta Consulting'), list);
    expect(r.suggestions).toEqual([{ companyId: 1, score: 60, reason: 'Shares words: zeta, consulting' }]);
    // Only the common word in common: not a candidate at all.
    expect(matchOne(account('Omega Consulting'), list).suggestions).toEqual([]);
  });

  it('handles a large input without comparing all pairs (generous time bound)', () => {
    const list: PsaCompanyRef[] = [];
    const accs: VendorAccountRef[] = [];
    for (let i = 0; i < 20000; i++) list.push(company(i + 1, `ID${i}`, `Firm${i} Services Group`));
    for (let i = 0; i < 5000; i++)
      accs.push(account(i % 2 ? `Firm${i} Services Group` : `Firm${i} Services`));
    const started = Date.now();
    const results = matchAccounts(accs, list);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(results.filter((r) => r.auto).length).toBe(2500);
    // 'services' is in every company, so only 'firm0' finds candidates; both words count in the score.
    expect(results[0].suggestions).toEqual([
      { companyId: 1, score: 60, reason: 'Shares words: firm0, services' },
    ]);
  });
});

describe('suggestProducts', () => {
  const catalog: CatalogRef[] = [
    { id: 1, identifier: 'AR-M365-BP', description: 'Microsoft 365 Business Premium', inactiveFlag: false },
    { id: 2, identifier: 'AR-M365-BS', description: 'Microsoft 365 Business Standard', inactiveFlag: false },
    { id: 3, identifier: 'AR-EXO-P1', description: 'Exchange Online (Plan 1)', inactiveFlag: false },
    { id: 4, identifier: 'AR-EXO-P2', description: 'Exchange Online (Plan 2)', inactiveFlag: false },
    {
      id: 5,
      identifier: 'AR-M365-BP-OLD',
      description: 'Microsoft 365 Business Premium',
      inactiveFlag: true,
    },
    { id: 6, identifier: 'AR-SECURE-EMAIL', description: 'Secure Email Filtering', inactiveFlag: false },
    { id: 7, identifier: 'AR-ARCHIVE', description: 'Email Archiving', inactiveFlag: true },
    { id: 8, identifier: 'Encryption', description: 'Email Encryption Add-on', inactiveFlag: false },
  ];
  const svc = (serviceId: number, productName: string): VendorServiceRef => ({
    serviceId,
    productName,
    term: 'Annual',
    frequency: 'Monthly',
  });

  it.each<[string, string, { companyId: number; score: number; reason: string }[]]>([
    [
      'same description first, then word overlap',
      'Microsoft 365 Business Premium',
      [
        { companyId: 1, score: 95, reason: 'Same description' },
        { companyId: 2, score: 70, reason: 'Shares words: microsoft, 365, business' },
      ],
    ],
    [
      'same description with parentheses; the other plan ranks lower',
      'Exchange Online (Plan 1)',
      [
        { companyId: 3, score: 95, reason: 'Same description' },
        { companyId: 4, score: 70, reason: 'Shares words: exchange, online, plan' },
      ],
    ],
    [
      'case, spacing and punctuation do not matter',
      '  exchange online plan 1 ',
      [
        { companyId: 3, score: 95, reason: 'Same description' },
        { companyId: 4, score: 70, reason: 'Shares words: exchange, online, plan' },
      ],
    ],
    [
      'same as the catalog identifier',
      'ar-secure-email',
      [{ companyId: 6, score: 95, reason: 'Same as catalog ID' }],
    ],
    [
      'word overlap only',
      'Secure Email Filtering Advanced',
      [{ companyId: 6, score: 79, reason: 'Shares words: secure, email, filtering' }],
    ],
    ['inactive items are ignored', 'Email Archiving', []],
    ['below the threshold', 'Azure Backup', []],
  ])('%s', (_label, productName, expected) => {
    const [r] = suggestProducts([svc(42, productName)], catalog);
    expect(r.serviceId).toBe(42);
    expect(r.suggestions).toEqual(expected);
  });

  it('never suggests an inactive item', () => {
    const results = suggestProducts(
      catalog.map((c, i) => svc(i, c.description)),
      catalog,
    );
    for (const r of results) {
      expect(r.suggestions.length).toBeLessThanOrEqual(3);
      for (const s of r.suggestions) expect([5, 7]).not.toContain(s.companyId);
    }
  });

  it('keeps at most 3, ties by description then id', () => {
    const items: CatalogRef[] = [
      { id: 4, identifier: 'X4', description: 'Spam Filter Tier Gold', inactiveFlag: false },
      { id: 3, identifier: 'X3', description: 'Spam Filter Tier Gold', inactiveFlag: false },
      { id: 2, identifier: 'X2', description: 'Spam Filter Tier Bronze', inactiveFlag: false },
      { id: 1, identifier: 'X1', description: 'Spam Filter Tier Silver', inactiveFlag: false },
    ];
    const [r] = suggestProducts([svc(1, 'Spam Filter Tier')], items);
    expect(r.suggestions).toEqual(
      [2, 3, 4].map((companyId) => ({ companyId, score: 79, reason: 'Shares words: spam, filter, tier' })),
    );
  });

  it('returns one entry per service, in order, and empty lists for an empty catalog', () => {
    expect(suggestProducts([svc(1, 'A'), svc(2, 'B')], [])).toEqual([
      { serviceId: 1, suggestions: [] },
      { serviceId: 2, suggestions: [] },
    ]);
  });
});

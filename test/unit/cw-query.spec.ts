import {
  applyFields,
  applyOrderBy,
  compile,
  ConditionsError,
  evaluate,
  linkHeader,
  paginate,
  PagingError,
  parseConditions,
} from '../../src/sandbox/connectwise/query';

const addition = {
  id: 7,
  identifier: 'AR-M365-BP',
  description: 'Microsoft 365 Business Premium, (annual) "NCE"',
  quantity: 12,
  unitPrice: 19.5,
  company: { id: 250, identifier: 'Contoso', name: 'Contoso Ltd' },
  product: { id: 31, identifier: 'AR-M365-BP' },
  status: { id: 1, name: 'Active' },
  cancelledFlag: false,
  cancelledDate: null,
  effectiveDate: '2025-06-30T00:00:00Z',
};

const cancelled = {
  ...addition,
  id: 8,
  identifier: 'AR-ETP',
  description: 'Email Threat Protection',
  quantity: 3,
  company: { id: 251, identifier: 'Fabrikam', name: 'Fabrikam Inc' },
  cancelledFlag: true,
  cancelledDate: '2026-02-15T10:30:00Z',
};

const matches = (conditions: string, record: object = addition): boolean => compile(conditions)(record);

describe('ConnectWise conditions: operators', () => {
  it.each([
    ['id = 7', true],
    ['id != 7', false],
    ['quantity < 12', false],
    ['quantity <= 12', true],
    ['quantity > 11', true],
    ['quantity >= 13', false],
    ['unitPrice = 19.5', true],
    ['unitPrice > -1', true],
    ['identifier = "AR-M365-BP"', true],
    ["identifier = 'AR-M365-BP'", true],
    ['identifier != "AR-ETP"', true],
    ['identifier < "B"', true],
    ['name like "x"', false],
    ['identifier like "AR-%"', true],
    ['identifier like "*365*"', true],
    ['identifier like "AR-ETP%"', false],
    ['identifier not like "AR-ETP%"', true],
    ['description contains "business"', true],
    ['description contains "ETP"', false],
    ['description not contains "ETP"', true],
    ['identifier in ("AR-M365-BP","AR-ETP")', true],
    ['identifier in ("AR-ETP", "AR-X")', false],
    ['identifier not in ("AR-ETP")', true],
    ['quantity in (1,2,12)', true],
    ['quantity not in (1, 2, 12)', false],
    ['cancelledFlag = false', true],
    ['cancelledFlag = true', false],
    ['deletedFlag=false', false],
    ['cancelledDate = null', true],
    ['cancelledDate != null', false],
    ['status/name = "active"', true],
    ['company/id = 250', true],
    ['product/identifier="AR-M365-BP"', true],
  ])('%s → %s', (conditions, expected) => {
    expect(matches(conditions)).toBe(expected);
  });

  it('compares strings case-insensitively', () => {
    expect(matches('identifier = "ar-m365-bp"')).toBe(true);
    expect(matches('IDENTIFIER = "AR-M365-BP" AND Company/Identifier = "CONTOSO"')).toBe(true);
    expect(matches('identifier in ("ar-etp","ar-m365-bp")')).toBe(true);
    expect(matches('company/name LIKE "contoso%"')).toBe(true);
  });

  it('handles the reconciliation filter company/id=250 and cancelledFlag=false', () => {
    const predicate = compile('company/id=250 and cancelledFlag=false');
    expect([addition, cancelled, { ...addition, company: { id: 999 } }].filter(predicate)).toEqual([
      addition,
    ]);
  });

  it('filters on cancelledDate=null', () => {
    expect([addition, cancelled].filter(compile('cancelledDate=null'))).toEqual([addition]);
    expect([addition, cancelled].filter(compile('cancelledDate != null'))).toEqual([cancelled]);
  });

  it('matches name like "Contoso%" with wildcards', () => {
    const records = [{ name: 'Contoso Ltd' }, { name: 'contoso' }, { name: 'The Contoso' }, { name: null }];
    expect(records.filter(compile('name like "Contoso%"'))).toEqual(records.slice(0, 2));
    expect(records.filter(compile('name like "%contoso%"'))).toEqual(records.slice(0, 3));
  });

  it.each([
    ['cancelledDate > [2026-01-01T00:00:00Z]', [cancelled]],
    ['cancelledDate < [2026-01-01T00:00:00Z]', []],
    ['cancelledDate = [2026-02-15T10:30:00.000Z]', [cancelled]],
    ['effectiveDate >= [2025-06-30]', [addition, cancelled]],
    ['effectiveDate < [2025-06-30T02:00:00+01:00]', [addition, cancelled]],
  ])('compares dates as instants: %s', (conditions, expected) => {
    expect([addition, cancelled].filter(compile(conditions))).toEqual(expected);
  });

  it('treats comparisons with null as unknown, like SQL', () => {
    expect(matches('cancelledDate > [2020-01-01T00:00:00Z]')).toBe(false);
    expect(matches('cancelledDate < [2099-01-01T00:00:00Z]')).toBe(false);
    expect(matches('cancelledDate != [2020-01-01T00:00:00Z]')).toBe(false);
    expect(matches('not (cancelledDate > [2020-01-01T00:00:00Z])')).toBe(false);
    expect(matches('quantity > null')).toBe(false);
  });

  it('keeps booleans strict', () => {
    expect(matches('cancelledFlag = true', { cancelledFlag: 'true' })).toBe(false);
    expect(matches('cancelledFlag = false', { cancelledFlag: null })).toBe(false);
  });
});

describe('ConnectWise conditions: quoting', () => {
  it.each([
    ['spaces', 'name = "Contoso Ltd"', 'Contoso Ltd'],
    ['commas and parentheses', 'name = "Contoso, Ltd (EU)"', 'Contoso, Ltd (EU)'],
    ['a backslash-escaped quote', 'name = "The \\"Best\\" Co"', 'The "Best" Co'],
    ['a doubled quote', 'name = "The ""Best"" Co"', 'The "Best" Co'],
    ['a single-quoted apostrophe', "name = 'O''Brien and Sons'", "O'Brien and Sons"],
    ['keywords inside the string', 'name = "a and b or (c)"', 'a and b or (c)'],
  ])('reads strings containing %s', (_label, conditions, name) => {
    expect(parseConditions(conditions)).toEqual({
      kind: 'compare',
      field: 'name',
      path: ['name'],
      op: '=',
      value: { type: 'string', value: name },
    });
    expect(matches(conditions, { name })).toBe(true);
  });

  it('reads in-lists whose strings contain commas and parentheses', () => {
    const predicate = compile('name in ("a, b", "(c)", "d\\"e")');
    expect(['a, b', '(c)', 'd"e', 'a'].map((name) => predicate({ name }))).toEqual([true, true, true, false]);
  });
});

describe('ConnectWise conditions: precedence and grouping', () => {
  const flags = (a: boolean, b: boolean, c: boolean) => ({ a, b, c });

  it('binds and tighter than or', () => {
    const cond = parseConditions('a = true or b = true and c = true');
    expect(cond).toMatchObject({ kind: 'or', operands: [{ field: 'a' }, { kind: 'and' }] });
    expect(evaluate(cond, flags(true, false, false))).toBe(true);
    expect(evaluate(cond, flags(false, true, false))).toBe(false);
  });

  it('lets parentheses override precedence', () => {
    const cond = parseConditions('(a = true or b = true) and c = true');
    expect(cond).toMatchObject({ kind: 'and', operands: [{ kind: 'or' }, { field: 'c' }] });
    expect(evaluate(cond, flags(true, false, false))).toBe(false);
    expect(evaluate(cond, flags(false, true, true))).toBe(true);
  });

  it.each([
    ['not (a = true)', flags(false, false, false), true],
    ['NOT (a = true or b = true)', flags(false, true, false), false],
    ['((a=true))and(b=true)', flags(true, true, false), true],
    ['a = true AND (b = true OR c = true) Or c = true', flags(false, false, true), true],
  ])('%s', (conditions, record, expected) => {
    expect(matches(conditions, record)).toBe(expected);
  });
});

describe('ConnectWise conditions: errors', () => {
  const VALUE_HINT =
    'String values should be enclosed with double or single quotes; DateTime values should be enclosed in ' +
    'square brackets; numbers should consist of only digits, and optionally a decimal point and a negation sign.';

  it.each([
    ['identifier = ABC', `Expected a value after 'identifier ='. ${VALUE_HINT}`],
    ['identifier =', `Expected a value after 'identifier ='. ${VALUE_HINT}`],
    ['company/id=', `Expected a value after 'company/id ='. ${VALUE_HINT}`],
    ['identifier in ("A",)', `Expected a value after 'identifier in'. ${VALUE_HINT}`],
    ['quantity > 1.2.3', `Expected a value after 'quantity >'. ${VALUE_HINT}`],
  ])('rejects a missing value: %s', (conditions, message) => {
    expect(() => parseConditions(conditions)).toThrow(new ConditionsError(message));
  });

  it.each([
    ['identifier = "ABC', /Unterminated string starting at position 14: "ABC/],
    ["name = 'O'Brien'", /Unterminated string starting at position 16/],
    ['date > [2026-01-01', /Unterminated DateTime value starting at position 8/],
    ['date > [yesterday]', /Invalid DateTime value '\[yesterday\]' at position 8/],
    ['identifier "ABC"', /Expected an operator after 'identifier' at position 12 but found '"ABC"'/],
    ['identifier equals "ABC"', /Expected an operator after 'identifier' at position 12 but found 'equals'/],
    ['(a = 1', /Missing '\)' to close the '\(' at position 1/],
    ['a = 1)', /Unexpected '\)' at position 6/],
    ['a = 1 b = 2', /Unexpected 'b' at position 7; expected 'and', 'or'/],
    ['a = 1 and', /Expected a field name at position 10 but found the end of the conditions/],
    ['not a = 1', /Expected '\(' after 'not' at position 1/],
    ['identifier in "A"', /Expected a parenthesised list of values after 'identifier in' at position 15/],
    ['identifier in ("A" "B")', /Expected ',' or '\)' in the list after 'identifier in' at position 20/],
    ['name like true', /The 'like' operator needs a string value/],
    ['a ! 1', /Unexpected '!' at position 3/],
  ])('rejects %s', (conditions, message) => {
    expect(() => parseConditions(conditions)).toThrow(ConditionsError);
    expect(() => parseConditions(conditions)).toThrow(message);
  });

  it('rejects unknown fields when the resource fields are known', () => {
    const known = new Set(['id', 'identifier', 'company', 'cancelledFlag']);
    expect(() => compile('foo = 1', known)).toThrow(
      new ConditionsError("Cannot find field 'foo' on this resource."),
    );
    expect(() => compile('id = 1 or (bar/id = 2)', known)).toThrow(
      "Cannot find field 'bar/id' on this resource.",
    );
    expect(compile('Company/id = 250 and cancelledflag = false', known)(addition)).toBe(true);
  });

  it('matches everything for empty conditions', () => {
    expect(compile(undefined)(addition)).toBe(true);
    expect(compile('   ')(addition)).toBe(true);
  });
});

describe('applyFields', () => {
  it('keeps listed top-level keys and a/b sub-fields', () => {
    expect(applyFields([addition], 'id, identifier,company/name,company/id,status')).toEqual([
      {
        id: 7,
        identifier: 'AR-M365-BP',
        company: { id: 250, name: 'Contoso Ltd' },
        status: { id: 1, name: 'Active' },
      },
    ]);
  });

  it('lets a whole field win over its sub-fields, and skips absent keys', () => {
    expect(applyFields([addition], 'company/name,company,nope,nope/x')).toEqual([
      { company: addition.company },
    ]);
  });

  it.each([undefined, '', '  '])('returns records unchanged for %p', (fields) => {
    expect(applyFields([addition, cancelled], fields)).toEqual([addition, cancelled]);
  });
});

describe('applyOrderBy', () => {
  const rows = [
    { id: 1, name: 'beta', company: { id: 2 } },
    { id: 2, name: 'Alpha', company: { id: 1 } },
    { id: 3, name: null, company: { id: 2 } },
    { id: 4, name: 'alpha', company: { id: 2 } },
    { id: 5, name: 'Beta', company: null },
  ];
  const ids = (records: { id: number }[]) => records.map((r) => r.id);

  it.each([
    ['name asc', [3, 2, 4, 1, 5]],
    ['name', [3, 2, 4, 1, 5]],
    ['name desc', [1, 5, 2, 4, 3]],
    ['name asc, id desc', [3, 4, 2, 5, 1]],
    ['company/id desc, name ASC', [3, 4, 1, 2, 5]],
    ['id desc', [5, 4, 3, 2, 1]],
  ])('sorts by %s', (orderBy, expected) => {
    expect(ids(applyOrderBy(rows, orderBy))).toEqual(expected);
  });

  it('does not mutate the input and leaves it alone without orderBy', () => {
    const copy = [...rows];
    applyOrderBy(rows, 'id desc');
    expect(rows).toEqual(copy);
    expect(applyOrderBy(rows, undefined)).toBe(rows);
  });

  it('sorts dates as instants', () => {
    const dated = [
      { d: '2026-01-01T00:00:00Z' },
      { d: '2025-12-31T23:00:00-02:00' },
      { d: '2025-06-30T00:00:00Z' },
    ];
    expect(applyOrderBy(dated, 'd asc').map((r) => r.d)).toEqual([dated[2].d, dated[0].d, dated[1].d]);
  });

  it.each([
    ['name upward', /Invalid sort direction 'upward' for 'name'/],
    ['name asc,', /Invalid orderBy clause ''/],
    ['name asc desc', /Invalid orderBy clause 'name asc desc'/],
  ])('rejects %s', (orderBy, message) => {
    expect(() => applyOrderBy(rows, orderBy)).toThrow(ConditionsError);
    expect(() => applyOrderBy(rows, orderBy)).toThrow(message);
  });

  it('rejects unknown sort fields when the resource fields are known', () => {
    expect(() => applyOrderBy(rows, 'foo', new Set(['id']))).toThrow(
      "Cannot find field 'foo' on this resource.",
    );
  });
});

describe('paginate', () => {
  const records = Array.from({ length: 2600 }, (_, i) => i + 1);

  it.each([
    [undefined, undefined, { first: 1, length: 25, page: 1, pageSize: 25, totalPages: 104 }],
    ['2', '100', { first: 101, length: 100, page: 2, pageSize: 100, totalPages: 26 }],
    [3, 1000, { first: 2001, length: 600, page: 3, pageSize: 1000, totalPages: 3 }],
    [1, '5000', { first: 1, length: 1000, page: 1, pageSize: 1000, totalPages: 3 }],
    [9, 1000, { first: undefined, length: 0, page: 9, pageSize: 1000, totalPages: 3 }],
  ])('page=%p pageSize=%p', (page, pageSize, expected) => {
    const result = paginate(records, page, pageSize);
    expect({
      first: result.items[0],
      length: result.items.length,
      page: result.page,
      pageSize: result.pageSize,
      totalPages: result.totalPages,
    }).toEqual(expected);
  });

  it('reports one page for an empty list', () => {
    expect(paginate([], 1, 25)).toEqual({ items: [], page: 1, pageSize: 25, totalPages: 1 });
  });

  it.each([
    [0, undefined],
    ['-1', undefined],
    ['abc', undefined],
    [undefined, '0'],
    [undefined, '2.5'],
    [1.5, 10],
  ])('rejects page=%p pageSize=%p', (page, pageSize) => {
    expect(() => paginate(records, page, pageSize)).toThrow(PagingError);
    expect(() => paginate(records, page, pageSize)).toThrow(/must be a whole number of at least 1/);
  });
});

describe('linkHeader', () => {
  const base =
    'https://cw.example/v4_6_release/apis/3.0/finance/agreements/12/additions?conditions=id%3E1&page=1';

  it('links next and last from the first page', () => {
    expect(linkHeader(base, 1, 25, 4)).toBe(
      '<https://cw.example/v4_6_release/apis/3.0/finance/agreements/12/additions?conditions=id%3E1&pageSize=25&page=2>; rel="next", ' +
        '<https://cw.example/v4_6_release/apis/3.0/finance/agreements/12/additions?conditions=id%3E1&pageSize=25&page=4>; rel="last"',
    );
  });

  it('links all four relations from a middle page', () => {
    const header = linkHeader('/apis/3.0/company/companies?PageSize=10&orderBy=name%20asc&page=2', 2, 10, 4);
    expect(header).toBe(
      [
        '</apis/3.0/company/companies?orderBy=name%20asc&pageSize=10&page=1>; rel="first"',
        '</apis/3.0/company/companies?orderBy=name%20asc&pageSize=10&page=1>; rel="prev"',
        '</apis/3.0/company/companies?orderBy=name%20asc&pageSize=10&page=3>; rel="next"',
        '</apis/3.0/company/companies?orderBy=name%20asc&pageSize=10&page=4>; rel="last"',
      ].join(', '),
    );
  });

  it('omits next and last on the last page', () => {
    expect(linkHeader('/apis/3.0/company/companies', 4, 25, 4)).toBe(
      '</apis/3.0/company/companies?pageSize=25&page=1>; rel="first", ' +
        '</apis/3.0/company/companies?pageSize=25&page=3>; rel="prev"',
    );
  });

  it('is undefined when everything fits on one page', () => {
    expect(linkHeader(base, 1, 25, 1)).toBeUndefined();
  });
});

import { InitialSchema1764720000000 } from './1764720000000-InitialSchema';
import { AddSuggestions1764730000000 } from './1764730000000-AddSuggestions';

/** Every migration, oldest first. Add new ones at the end; never edit one that has been merged. */
export const MIGRATIONS = [InitialSchema1764720000000, AddSuggestions1764730000000];

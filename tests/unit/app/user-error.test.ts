import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { BAD_INPUT_EXIT_CODE, DATABASE_BUSY_EXIT_CODE, failure, UserError } from '../../../src/app/user-error.js';
import { ConfigError } from '../../../src/config.js';

describe('the CLI exit path', () => {
  it('prints a user error after "domestique:" with its exit code, 2 by default', () => {
    expect(failure(new UserError('The FIT folder x does not exist.'))).toEqual({
      message: 'domestique: The FIT folder x does not exist.\n',
      exitCode: BAD_INPUT_EXIT_CODE,
    });
    expect(failure(new UserError('Discord said no.', 1))).toEqual({ message: 'domestique: Discord said no.\n', exitCode: 1 });
  });

  it('prints a bad configuration as is, exit 2', () => {
    expect(failure(new ConfigError('Invalid configuration — fix these variables'))).toEqual({
      message: 'Invalid configuration — fix these variables\n',
      exitCode: 2,
    });
  });

  it('says the database is busy with exit code 75, whatever the driver wrote', () => {
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    expect(failure(busy)).toEqual({
      message: 'domestique: The database is busy (another domestique process holds it); try again.\n',
      exitCode: DATABASE_BUSY_EXIT_CODE,
    });
    expect(DATABASE_BUSY_EXIT_CODE).toBe(75);
  });

  it("leaves commander's own errors to commander's message and code", () => {
    expect(failure(new CommanderError(1, 'commander.missingMandatoryOptionValue', 'error: required option'))).toEqual({
      message: null,
      exitCode: 1,
    });
    expect(failure(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'))).toEqual({ message: null, exitCode: 0 });
  });

  it('calls anything else unexpected, exit 1', () => {
    expect(failure(new TypeError('x is undefined'))).toEqual({ message: 'domestique: unexpected error: x is undefined\n', exitCode: 1 });
    expect(failure('plain')).toEqual({ message: 'domestique: unexpected error: plain\n', exitCode: 1 });
  });
});

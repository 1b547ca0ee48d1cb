import { describe, expect, it } from 'vitest';
import { checkEmail, checkName, checkNewPassword, mistakesOf } from './field-checks.ts';
import { fieldsToCorrectMessage } from './use-server-errors.ts';

describe('the forms’ own checks', () => {
  it('find every mistake of an empty sign-up at once, with the messages the server’s rules would give', () => {
    expect(mistakesOf({ name: checkName(' '), email: checkEmail(''), password: checkNewPassword('') })).toEqual({
      name: 'Enter a name of 1 to 100 characters.',
      email: 'Enter your email address.',
      password: 'Use 8 to 128 characters.',
    });
    expect(fieldsToCorrectMessage(3)).toBe('3 fields need correcting.');
    expect(fieldsToCorrectMessage(1)).toBe('One field needs correcting.');
  });

  it('let valid values through, counting characters as a person does', () => {
    expect(mistakesOf({ name: checkName('Ada'), email: checkEmail(' ada@example.com '), password: checkNewPassword('🔑'.repeat(8)) })).toEqual({});
    expect(checkEmail('not-an-email')).toBe('Enter a valid email address, like ada@example.com.');
    expect(checkName('x'.repeat(101))).toBeDefined();
    expect(checkNewPassword('x'.repeat(129))).toBeDefined();
    expect(checkNewPassword('seven77')).toBeDefined();
  });
});

import { maskName, maskPhone, maskValue } from '../../src/auth/masking';
import { hashPassword, verifyPassword } from '../../src/auth/password';

describe('masking', () => {
  it.each([
    ['张三', '张*'],
    ['欧阳娜娜', '欧***'],
    ['王', '*'],
  ])('masks the name %s as %s', (name, masked) => expect(maskName(name)).toBe(masked));

  it.each([
    ['13812345678', '138****5678'],
    ['+8613812345678', '+86****5678'],
    ['5678', '**78'],
  ])('masks the phone %s as %s', (phone, masked) => expect(maskPhone(phone)).toBe(masked));

  it('withholds free text and leaves null as null', () => {
    expect(maskValue('withhold', '他家电话13812345678')).toBeNull();
    expect(maskValue('name', null)).toBeNull();
  });
});

describe('password hashing', () => {
  it('verifies the right password only, with a fresh salt every time', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).not.toBe(b);
    expect(a.startsWith('scrypt$32768$8$1$')).toBe(true);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
    // Parameters scrypt refuses are a non-match, not a crash of the sign-in.
    expect(await verifyPassword('x', 'scrypt$1000$8$1$c2FsdA$aGFzaA')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$1073741824$8$1$c2FsdA$aGFzaA')).toBe(false);
  });
});

// Who can log in to the demo, and with what. The single source for the seed, the README and the
// tests. These are public demo secrets: never seed them into a database that holds real money.

export const DEMO_PASSWORDS = {
  admin: 'demo-admin-2026',
  officer: 'demo-officer-2026',
  manager: 'demo-manager-2026',
  collector: 'demo-collector-2026',
  auditor: 'demo-auditor-2026',
  feed: 'demo-feed-2026',
} as const;

export const DEMO_TERMINAL_SECRET = 'demo-terminal-secret';

export type DemoRole = keyof typeof DEMO_PASSWORDS;

export interface DemoUser {
  username: string;
  password: string;
  role: DemoRole;
  displayName: string;
  region: string | null; // region code
  market: string | null; // market code
}

export interface DemoTerminal {
  terminalId: string;
  secret: string;
  region: string;
  market: string;
  acquirer: string; // acquirer code (the region's card acquirer)
  tid: string; // 8 digits, as printed by the EDC
  mid: string; // 15 digits, one merchant id per region
}

export interface DemoQrisAcquirer {
  acquirer: string;
  region: string;
  /** Key of the HMAC-SHA256 signature on the bank's QRIS notifications (X-Signature). */
  notificationSecret: string;
}

const user = (
  role: DemoRole,
  username: string,
  displayName: string,
  region: string | null = null,
  market: string | null = null,
): DemoUser => ({
  username,
  password: DEMO_PASSWORDS[role],
  role,
  displayName,
  region,
  market,
});

const MGL_MID = '000885337100001';
const BJR_MID = '000885630300001';

const terminal = (
  terminalId: string,
  region: string,
  market: string,
  acquirer: string,
  tid: string,
  mid: string,
): DemoTerminal => ({
  terminalId,
  secret: DEMO_TERMINAL_SECRET,
  region,
  market,
  acquirer,
  tid,
  mid,
});

export const DEMO_CREDENTIALS: { users: DemoUser[]; terminals: DemoTerminal[]; qris: DemoQrisAcquirer[] } = {
  users: [
    user('admin', 'admin', 'Administrator Sistem'),
    user('auditor', 'auditor', 'Auditor Inspektorat'),
    user('feed', 'pusat-komando.mgl', 'Layar Pusat Komando Kota Magelang', 'MGL'),
    user('officer', 'officer.mgl', 'Dwi Hartono (Dinas Perdagangan Kota Magelang)', 'MGL'),
    user('officer', 'officer.bjr', 'Hairani Noor (Bapenda Kabupaten Banjar)', 'BJR'),
    user('manager', 'manager.rejowinangun', 'Bambang Sutrisno (Kepala Pasar Rejowinangun)', 'MGL', 'RJW'),
    user('manager', 'manager.cacaban', 'Sri Wahyuni (Kepala Pasar Cacaban)', 'MGL', 'CCB'),
    user('manager', 'manager.gotongroyong', 'Heru Santoso (Kepala Pasar Gotong Royong)', 'MGL', 'GTR'),
    user('manager', 'manager.martapura', 'Muhammad Rizani (Kepala Pasar Martapura)', 'BJR', 'MTP'),
    user('collector', 'collector.rejowinangun.1', 'Agus Prasetyo', 'MGL', 'RJW'),
    user('collector', 'collector.rejowinangun.2', 'Tri Lestari', 'MGL', 'RJW'),
    user('collector', 'collector.cacaban.1', 'Joko Widodo', 'MGL', 'CCB'),
    user('collector', 'collector.cacaban.2', 'Endang Rahayu', 'MGL', 'CCB'),
    user('collector', 'collector.gotongroyong.1', 'Slamet Riyadi', 'MGL', 'GTR'),
    user('collector', 'collector.gotongroyong.2', 'Suparmi', 'MGL', 'GTR'),
    user('collector', 'collector.martapura.1', 'Akhmad Fauzi', 'BJR', 'MTP'),
    user('collector', 'collector.martapura.2', 'Norhasanah', 'BJR', 'MTP'),
  ],
  terminals: [
    terminal('MGL-RJW-01', 'MGL', 'RJW', 'bpd-jateng-card-mgl', '71010101', MGL_MID),
    terminal('MGL-RJW-02', 'MGL', 'RJW', 'bpd-jateng-card-mgl', '71010102', MGL_MID),
    terminal('MGL-RJW-03', 'MGL', 'RJW', 'bpd-jateng-card-mgl', '71010103', MGL_MID),
    terminal('MGL-CCB-01', 'MGL', 'CCB', 'bpd-jateng-card-mgl', '71010201', MGL_MID),
    terminal('MGL-CCB-02', 'MGL', 'CCB', 'bpd-jateng-card-mgl', '71010202', MGL_MID),
    terminal('MGL-GTR-01', 'MGL', 'GTR', 'bpd-jateng-card-mgl', '71010301', MGL_MID),
    terminal('MGL-GTR-02', 'MGL', 'GTR', 'bpd-jateng-card-mgl', '71010302', MGL_MID),
    terminal('BJR-MTP-01', 'BJR', 'MTP', 'bank-kalsel-card-bjr', '63030101', BJR_MID),
    terminal('BJR-MTP-02', 'BJR', 'MTP', 'bank-kalsel-card-bjr', '63030102', BJR_MID),
    terminal('BJR-MTP-03', 'BJR', 'MTP', 'bank-kalsel-card-bjr', '63030103', BJR_MID),
  ],
  qris: [
    { acquirer: 'bpd-jateng-qris-mgl', region: 'MGL', notificationSecret: 'demo-qris-secret-mgl' },
    { acquirer: 'bank-kalsel-qris-bjr', region: 'BJR', notificationSecret: 'demo-qris-secret-bjr' },
  ],
};

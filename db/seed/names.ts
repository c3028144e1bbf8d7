// Name parts for demo traders. Central Java (Magelang) and South Kalimantan (Banjar) name their
// children differently, so each region has its own lists. Many Javanese traders of the older
// generation go by a single name, which the generator keeps.

export interface NameBook {
  female: readonly string[];
  male: readonly string[];
  family: readonly string[];
  /** Share of traders known by one name only. */
  singleNameShare: number;
  /** Honorifics older traders are registered with (haji/hajjah). */
  honorific?: { female: string; male: string; share: number };
  /** Where traders live: kelurahan/desa and kecamatan, for addresses. */
  places: readonly (readonly [village: string, district: string])[];
}

export const JAVA: NameBook = {
  female: [
    'Sri', 'Siti', 'Suparmi', 'Sumarni', 'Endang', 'Tri', 'Rahayu', 'Wartini', 'Darmini', 'Suwarni',
    'Sulastri', 'Painem', 'Tukinem', 'Ngatini', 'Sutini', 'Murni', 'Yuliani', 'Dwi', 'Retno', 'Wahyuni',
    'Sumiyati', 'Parjiyem', 'Kasmini', 'Lestari', 'Ani', 'Puji', 'Nur', 'Eni', 'Sukarti', 'Tumini',
  ],
  male: [
    'Budi', 'Slamet', 'Sugeng', 'Joko', 'Agus', 'Wahyu', 'Paiman', 'Sutrisno', 'Bambang', 'Heru',
    'Suparno', 'Darmanto', 'Sukirno', 'Teguh', 'Eko', 'Bowo', 'Mulyono', 'Supardi', 'Gunawan', 'Hadi',
    'Suyanto', 'Waluyo', 'Rohmat', 'Kusno', 'Triyono', 'Sarwono', 'Mujiono', 'Yanto', 'Parman', 'Ngadiman',
  ],
  family: [
    'Wibowo', 'Santoso', 'Susanto', 'Purnomo', 'Hartono', 'Setiawan', 'Lestari', 'Wulandari', 'Prasetyo',
    'Nugroho', 'Sulistyo', 'Widodo', 'Handayani', 'Rahmawati', 'Kurniawan', 'Saputro', 'Utomo', 'Hidayat',
    'Suryani', 'Wijayanti', 'Pratama', 'Haryanto', 'Mulyani', 'Sudarsono', 'Astuti', 'Yulianto',
  ],
  singleNameShare: 0.35,
  places: [
    ['Rejowinangun Utara', 'Magelang Tengah'], ['Rejowinangun Selatan', 'Magelang Selatan'],
    ['Cacaban', 'Magelang Tengah'], ['Kemirirejo', 'Magelang Tengah'], ['Gelangan', 'Magelang Tengah'],
    ['Panjang', 'Magelang Tengah'], ['Magersari', 'Magelang Selatan'], ['Tidar Utara', 'Magelang Selatan'],
    ['Jurangombo Selatan', 'Magelang Selatan'], ['Kramat Utara', 'Magelang Utara'], ['Wates', 'Magelang Utara'],
    ['Potrobangsan', 'Magelang Utara'], ['Kedungsari', 'Magelang Utara'], ['Mertoyudan', 'Mertoyudan'],
    ['Banyurojo', 'Mertoyudan'], ['Secang', 'Secang'], ['Tegalrejo', 'Tegalrejo'],
  ],
};

export const BANJAR: NameBook = {
  female: [
    'Siti', 'Norhasanah', 'Jumiati', 'Norlaila', 'Rusmini', 'Mahmudah', 'Fatimah', 'Norjannah', 'Salasiah',
    'Hamidah', 'Aminah', 'Rabiatul', 'Zubaidah', 'Nurul', 'Masitah', 'Hayati', 'Sarifah', 'Rusnah',
  ],
  male: [
    'Muhammad', 'Ahmad', 'Akhmad', 'Rusdiansyah', 'Fahriannor', 'Masrani', 'Syahrani', 'Gusti', 'Abdul',
    'Saberi', 'Rahmadi', 'Jumberi', 'Hairani', 'Bahrudin', 'Anang', 'Samsuri', 'Supiani', 'Taufik',
  ],
  family: [
    'Anshari', 'Rahman', 'Hidayat', 'Fauzi', 'Noor', 'Rizani', 'Ramadhan', 'Effendi', 'Hasan', 'Arsyad',
    'Maulana', 'Rasyid', 'Husin', 'Yusuf', 'Saleh', 'Syarifuddin', 'Ismail', 'Zakaria', 'Hamdani',
  ],
  singleNameShare: 0.15,
  honorific: { female: 'Hj.', male: 'H.', share: 0.12 },
  places: [
    ['Jawa', 'Martapura'], ['Keraton', 'Martapura'], ['Pasayangan', 'Martapura'], ['Sekumpul', 'Martapura'],
    ['Murung Keraton', 'Martapura'], ['Tanjung Rema', 'Martapura'], ['Indrasari', 'Martapura'],
    ['Sungai Sipai', 'Martapura'], ['Tambak Anyar', 'Martapura Timur'], ['Pekauman', 'Martapura Timur'],
    ['Karang Intan', 'Karang Intan'], ['Astambul Kota', 'Astambul'], ['Gambut', 'Gambut'],
  ],
};

"""Name lists for the demo municipality (fictional people, common South African names)."""

FIRST_NAMES = (
    "Thandi", "Sipho", "Lerato", "Themba", "Nomsa", "Bongani", "Zanele", "Mandla", "Ayanda",
    "Kagiso", "Palesa", "Thabo", "Naledi", "Sibusiso", "Refilwe", "Lwazi", "Nandi", "Tshepo",
    "Busisiwe", "Vusi", "Karabo", "Dineo", "Mpho", "Lindiwe", "Andile", "Precious", "Johan",
    "Annelie", "Pieter", "Marelize", "Priya", "Devan", "Fatima", "Yusuf", "Chantel", "Ruan",
    "Zodwa", "Khanyisile", "Lungile", "Siyabonga", "Ntombi", "Kamogelo", "Boitumelo",
    "Tumelo", "Nosipho", "Xolani", "Hlengiwe", "Musa", "Gugu", "Neo",
)

LAST_NAMES = (
    "Mokoena", "Dlamini", "Nkosi", "Khumalo", "Ndlovu", "Mthembu", "Zulu", "Mahlangu",
    "Naidoo", "Botha", "van der Merwe", "Pillay", "Sithole", "Mabaso", "Molefe", "Shabalala",
    "Ngcobo", "Radebe", "Mkhize", "Cele", "Buthelezi", "Hadebe", "Govender", "Pretorius",
    "Jacobs", "Petersen", "Maseko", "Tshabalala", "Baloyi", "Maluleke", "Mathebula", "Nel",
    "Ntuli", "Zwane", "Moloi", "Modise", "Masilela", "Chetty", "Adams", "Williams",
)

STREETS = (
    "Main Road", "Church Street", "Station Road", "Market Street", "Beach Road", "Hill Street",
    "Umgeni Road", "Florence Nzama Street", "Dr Pixley kaSeme Street", "Anton Lembede Street",
    "Sydney Road", "Jan Smuts Avenue", "Ridge Road", "Stamford Hill Road", "Point Road",
)

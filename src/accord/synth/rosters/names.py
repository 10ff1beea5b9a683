"""Frequency tables for synthetic US names and addresses, with heavy-tailed (Zipf-like) weights.

Each table is a module-level tuple of ``(value, weight)`` pairs, most common first. Weights are
integers proportional to ``1 / (rank + 2) ** s``: real name frequencies fall off roughly like this, so
a few names are very common and many are rare, which is what makes blocking and frequency-based
matching realistic. The lists themselves are ordinary common US names; every place is invented.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

Table = tuple[tuple[str, int], ...]


def _zipf(names: Sequence[str], s: float = 1.0, scale: int = 100_000) -> Table:
    """Weights by rank; the +2 offset flattens the very top so the first name is not absurdly dominant."""
    return tuple((name, max(1, round(scale / (rank + 2) ** s))) for rank, name in enumerate(names))


def _split(text: str) -> list[str]:
    # Comma-separated rather than whitespace-separated: some surnames ("de la Cruz") contain spaces.
    return [item.strip() for item in text.split(",") if item.strip()]


def weighted(table: Table) -> tuple[list[str], list[int]]:
    """Values and cumulative weights, ready for ``rng.choices(values, cum_weights=cum, k=n)``."""
    values = [value for value, _ in table]
    return values, list(itertools.accumulate(weight for _, weight in table))


FIRST_NAMES_FEMALE: Table = _zipf(_split("""
Olivia, Emma, Sophia, Isabella, Ava, Mia, Charlotte, Amelia, Camila, Evelyn, Harper, Elizabeth, Sofía,
Emily, Abigail, Madison, Valentina, Luna, Scarlett, Victoria, Aaliyah, Chloe, Grace, Zoë, Natalie,
María, Hannah, Ximena, Mariana, Layla, Leah, Aria, Nora, Lily, Ella, Avery, Riley, Savannah, Maya,
Jasmine, Gabriela, Daniela, Katherine, Brianna, Samantha, Alexandra, Ashley, Jessica, Jennifer,
Destiny, Kayla, Sarah, Valeria, Nevaeh, Genesis, Hailey, Madeline, Naomi, Penelope, Stella, Violet,
Hazel, Aurora, Isla, Willow, Ellie, Paisley, Skylar, Addison, Brooklyn, Audrey, Claire, Anna, Lucía,
Guadalupe, Alejandra, Fernanda, Jimena, Renata, Regina, Andrea, Ana, Isabel, Elena, Catalina, Adriana,
Margaret, Rebecca, Imani, Jada, Nia, Kiara, Aniyah, Zuri, Amara, Tiana, Makayla, Taylor, Morgan,
Alexis, Janelle, Mei, Hana, Priya, Ananya, Aisha, Fatima, Mariam, Leila, Nadia, Linh, Ngoc, Jiwoo,
Amina, Khadija, Noor, Rachel, Megan, Lauren, Kimberly, Michelle, Amanda, Stephanie, Nicole,
Christina, Patricia, Susan, Deborah, Dorothy, Alice, Julia, Caroline, Eva, Ruby, Sadie, Piper, Lydia,
Peyton, Reagan, Kennedy, Quinn, Jade, Eliana, Serenity, Delilah, Josephine, Athena, Ariana, Mackenzie,
Jocelyn, Esther, Kaylee, Allison, Gabrielle, Juliana, Marisol, Yesenia, Itzel, Dulce, Araceli, Noemí,
Mónica, Verónica, Chloé, Renée, Beatriz, Inés, Raquel, Cristina, Angélica, Teresa, Julieta, Abril,
Dolores, Carmen, Rosa, Leticia, Paula, Jazmín, Yuna, Sakura, Thuy, Deja, Ayana, Keisha, Ebony,
Precious, Shanice, Latoya, Tamara, Monique, Whitney, Courtney, Brittany, Heather, Melissa, Kelsey,
Erin, Molly, Bridget, Siobhan, Maeve, Colleen, Ingrid, Freya, Astrid, Elise, Simone, Gemma
"""), s=0.75)

FIRST_NAMES_MALE: Table = _zipf(_split("""
Liam, Noah, Oliver, James, Elijah, William, Mateo, Benjamin, Lucas, Henry, Michael, Daniel,
Alexander, Sebastian, Jacob, Ethan, Santiago, Samuel, David, Joseph, José, Jackson, Anthony,
Christopher, Matthew, Joshua, Andrew, Isaiah, Gabriel, Angel, Luis, Juan, Carlos, Jesús, Miguel,
Diego, Adrian, Logan, Aiden, Jayden, Dylan, Caleb, Nathan, Ryan, John, Robert, Thomas, Charles,
Theodore, Julian, Leo, Owen, Isaac, Levi, Ezra, Wyatt, Luke, Grayson, Hudson, Jack, Asher, Carter,
Elias, Josiah, Christian, Jonathan, Nicholas, Aaron, Kevin, Brandon, Tyler, Justin, Zachary, Jordan,
Francisco, Alejandro, Jorge, Antonio, Fernando, Ricardo, Eduardo, Javier, Manuel, Rafael, Roberto,
Andrés, Emiliano, Joaquín, Iker, Matías, Nicolás, Tomás, Sergio, Héctor, Raúl, Ramón, Ignacio,
Enrique, Guillermo, Alberto, Pedro, Pablo, Gustavo, Rubén, Marcos, Ismael, Damián, Martín, Efraín,
Josué, Emmanuel, DeShawn, Jamal, Malik, Darius, Tyrone, Terrence, Andre, Jalen, Marquis, Darnell,
Xavier, Jermaine, Kareem, Rashad, Trevon, Khalil, Jaylen, Kendrick, Cedric, Wei, Jun, Hiroshi, Kenji,
Hao, Minh, Duc, Tuan, Arjun, Rohan, Vikram, Aarav, Omar, Mohammed, Ahmed, Yusuf, Ali, Hamza, Ibrahim,
Min-jun, Ji-ho, Patrick, Sean, Brian, Timothy, Steven, Kenneth, Jeffrey, Gregory, Frank, Raymond,
Peter, Douglas, Austin, Kyle, Eric, Jason, Dominic, Vincent, Max, Finn, Felix, Silas, Jasper,
Declan, Edward, Richard, Cameron, Nolan, Roman, Eli, Wesley, Ian, Brooks, Axel, Easton, Everett,
Miles, Kai, Lincoln, Cooper, Maverick, Waylon, Jaxon, Ezekiel, Walker, Colton, Bryson, Landon,
Chase, Tristan, Brody, Cole, Gavin, Parker, Bentley, Killian, Rory, Søren, René, Noé
"""), s=0.75)

MIDDLE_NAMES_FEMALE: Table = _zipf(_split("""
Marie, Rose, Grace, Ann, Lynn, Elizabeth, Mae, Jane, Louise, Nicole, Michelle, Renee, Jean, Faith,
María, Guadalupe, Isabel, Elena, Sofía, Jade, Kay, Hope, Olivia, Sophia, Amelia, Claire, Paige,
Imani, Amani, Hui, Thi, Kaur, Noor, Jordan, Quinn, Lee
"""), s=0.8)

MIDDLE_NAMES_MALE: Table = _zipf(_split("""
James, Michael, Lee, Alexander, Joseph, Thomas, David, Ray, Allen, Wayne, Anthony, Edward, Daniel,
José, Antonio, Luis, Alejandro, Andrés, Eduardo, Jesús, Cole, Reid, Scott, Dean, Jamal, Malik,
Min, Anh, Van, Kumar, Ahmed, Ali, Jordan, Quinn, Kai, Henry
"""), s=0.8)

# Both together, for code that does not care which.
MIDDLE_NAMES: Table = MIDDLE_NAMES_FEMALE + MIDDLE_NAMES_MALE

SURNAMES: Table = _zipf(_split("""
Smith, Johnson, García, Williams, Brown, Rodríguez, Jones, Martínez, Hernández, Miller, Davis, López,
González, Wilson, Anderson, Pérez, Thomas, Taylor, Sánchez, Moore, Jackson, Ramírez, Martin, Lee,
Torres, Thompson, Nguyen, White, Flores, Harris, Rivera, Clark, Gómez, Lewis, Díaz, Robinson, Cruz,
Walker, Reyes, Young, Morales, Allen, Gutiérrez, King, Ortiz, Wright, Ramos, Scott, Chávez, Hill,
Mendoza, Green, Ruiz, Adams, Álvarez, Nelson, Castillo, Baker, Jiménez, Hall, Romero, Campbell,
Moreno, Mitchell, Vásquez, Carter, Herrera, Roberts, Medina, Phillips, Aguilar, Evans, Castro, Turner,
Fernández, Parker, Vargas, Edwards, Guzmán, Collins, Méndez, Stewart, Muñoz, Morris, Salazar, Murphy,
Soto, Cook, Contreras, Rogers, Estrada, Morgan, Delgado, Cooper, Sandoval, Peterson, Guerrero, Bailey,
Rojas, Reed, Ríos, Kelly, Domínguez, Howard, Vega, Kim, Figueroa, Cox, Cortés, Ward, Campos,
Richardson, Núñez, Watson, Luna, Brooks, Juárez, Wood, Mejía, James, Ayala, Bennett, Acosta, Gray,
Cabrera, Hughes, Fuentes, Price, Carrillo, Sanders, Espinoza, Patel, Valdez, Myers, Navarro, Long,
Maldonado, Ross, Rosales, Foster, Cervantes, Powell, Velázquez, Jenkins, Ibarra, Perry, Pacheco,
Russell, Santiago, Sullivan, Salinas, Bell, Orozco, Coleman, Zamora, Butler, Serrano, Henderson,
Lara, Barnes, Padilla, Fisher, Ochoa, Simmons, Villarreal, Jordan, Trujillo, Patterson, Ponce,
Alexander, Molina, Hamilton, Miranda, Graham, Beltrán, Reynolds, Barrera, Griffin, Cárdenas, Wallace,
Solís, West, Ávila, Cole, Bautista, Hayes, Márquez, Bryant, Montoya, Gibson, Peña, Ellis, Robles,
Tran, Arellano, Stevens, Galván, Murray, Rangel, Ford, Valencia, Marshall, Zúñiga, Owens, Montes,
Harrison, Quintero, McDonald, Benítez, Woods, Osorio, Washington, Calderón, Kennedy, Escobar, Wells,
Duarte, Henry, Sosa, Chen, Vera, Freeman, Guerra, Webb, Huerta, Tucker, Franco, Burns, Mora,
Crawford, de la Cruz, Olson, de León, Simpson, del Río, Porter, de la Rosa, Hunter, de los Santos,
Gordon, O'Brien, Silva, O'Connor, Shaw, O'Neill, Snyder, O'Donnell, Mason, D'Angelo, Dixon, McCarthy,
Hunt, McKenzie, Hicks, MacDonald, Holmes, McLaughlin, Palmer, Van Dyke, Wagner, Black, Robertson,
Boyd, Rose, Stone, Fox, Warren, Mills, Meyer, Rice, Schmidt, Wong, Wang, Li, Zhang, Liu, Huang,
Lin, Yang, Wu, Park, Choi, Kang, Cho, Pham, Le, Vu, Hoang, Dang, Bui, Huynh, Do, Tanaka, Yamamoto,
Sato, Nakamura, Shah, Singh, Kumar, Gupta, Sharma, Khan, Ali, Ahmed, Hassan, Mohamed, Ibrahim, Abdi,
Okafor, Adeyemi, Mensah, Diallo, Jean-Baptiste, Pierre, Joseph, Baptiste, François, Dunn, Hart,
Lane, Berry, Riley, Carroll, Fuller, Lawrence, Wheeler, Chapman, Oliver, Montgomery, Richards,
Williamson, Johnston, Banks, Bishop, McCoy, Howell, Morrison, Hansen, Harper, George, Burke,
Fields, Knight, Lynch, Carpenter, Douglas, Austin, Peters, Kelley, Schultz, Hoffman, Becker, Weber,
Klein, Larson, Carlson, Erickson, Nielsen, Walsh, Quinn, Byrne, Doyle, Gallagher, Brennan, Keller,
Kowalski, Nowak, Novak, Rossi, Russo, Romano, Esposito, Bianchi, Greco, Costa, Silveira, Pereira,
Oliveira, Santos, Souza, Cohen, Levy, Katz, Goldberg, Friedman, Shapiro, Hale, Bridges, Nash, Mack,
Pope, Sharp, Gross, Bowen, Frost, Vaughn, Wolfe, Cunningham, Bradley, Hawkins, Pierce, Arnold,
Reid, Dean, Watts, Lambert, Garrett, Horton, Holland, Ramsey, Curtis, Tate, Greer, Maxwell
"""), s=0.9)

# Names recognisably Hispanic: the population gives ~25% of children with these a double surname.
HISPANIC_SURNAMES: frozenset[str] = frozenset(_split("""
García, Rodríguez, Martínez, Hernández, López, González, Pérez, Sánchez, Ramírez, Torres, Flores,
Rivera, Gómez, Díaz, Cruz, Reyes, Morales, Gutiérrez, Ortiz, Ramos, Chávez, Mendoza, Ruiz, Álvarez,
Castillo, Jiménez, Romero, Moreno, Vásquez, Herrera, Medina, Aguilar, Castro, Fernández, Vargas,
Guzmán, Méndez, Muñoz, Salazar, Soto, Contreras, Estrada, Delgado, Sandoval, Guerrero, Rojas, Ríos,
Domínguez, Vega, Figueroa, Cortés, Campos, Núñez, Luna, Juárez, Mejía, Ayala, Acosta, Cabrera,
Fuentes, Carrillo, Espinoza, Valdez, Navarro, Maldonado, Rosales, Cervantes, Velázquez, Ibarra,
Pacheco, Santiago, Salinas, Orozco, Zamora, Serrano, Lara, Padilla, Ochoa, Villarreal, Trujillo,
Ponce, Molina, Miranda, Beltrán, Barrera, Cárdenas, Solís, Ávila, Bautista, Márquez, Montoya, Peña,
Robles, Arellano, Galván, Rangel, Valencia, Zúñiga, Montes, Quintero, Benítez, Osorio, Calderón,
Escobar, Duarte, Sosa, Vera, Guerra, Huerta, Franco, Mora, de la Cruz, de León, del Río, de la Rosa,
de los Santos
"""))

STREET_NAMES: Table = _zipf(_split("""
Main, Oak, Maple, Cedar, Pine, Elm, Washington, Park, Lake, Hill, Walnut, Sunset, Lincoln, Jackson,
Church, Willow, Highland, River, Ridge, Meadow, Spring, Cherry, Chestnut, Mill, Franklin, Jefferson,
Madison, Adams, Forest, Valley, Center, Hickory, Birch, Dogwood, Magnolia, Sycamore, Aspen, Laurel,
Prospect, Broad, Market, School, Railroad, Orchard, Vista, Mesa, Alameda, Del Mar, Las Palmas,
San Pedro, Santa Rosa, El Camino, Bonita, Loma Verde, Cypress, Juniper, Poplar, Redwood, Sequoia,
Quail, Heron, Canyon, Fairview, Greenwood, Lakeview, Hillcrest, Bayview, Woodland, Brookside,
Kingston, Cambridge, Oxford, Hampton, Windsor, Stratford, Martin Luther King Jr, César Chávez,
Harriet Tubman, Rosa Parks, Frederick Douglass, First, Second, Third, Fourth, Fifth, Sixth, Seventh
"""), s=0.8)

STREET_TYPES: Table = (
    ("St", 30), ("Ave", 25), ("Rd", 15), ("Dr", 12), ("Ln", 8), ("Ct", 5), ("Blvd", 3), ("Way", 3),
    ("Pl", 2), ("Cir", 2), ("Ter", 1), ("Pkwy", 1),
)

# An invented county ("Alder County"): a county seat and two suburbs hold most of the children.
CITIES: tuple[tuple[str, tuple[str, ...], int], ...] = (
    ("Alder Falls", ("97301", "97302", "97305", "97309"), 300),
    ("Brookhaven", ("97311", "97312", "97314"), 160),
    ("Port Caldera", ("97320", "97321", "97323"), 120),
    ("Millbrook", ("97330", "97331"), 70),
    ("San Lorenzo Valley", ("97335", "97336"), 55),
    ("Cedar Bluff", ("97340",), 45),
    ("Harrow Springs", ("97342", "97343"), 38),
    ("Vista Serena", ("97345",), 32),
    ("Greyhollow", ("97347",), 26),
    ("Oakridge Flats", ("97350", "97351"), 22),
    ("Tamsin", ("97353",), 18),
    ("North Wexley", ("97355",), 15),
    ("Las Cruzitas", ("97357",), 13),
    ("Fennimore", ("97359",), 11),
    ("Quarry Point", ("97361",), 9),
    ("Wrenfield", ("97363",), 8),
    ("Dunmore Crossing", ("97365",), 7),
    ("Saltmarsh", ("97367",), 6),
    ("Kettle Creek", ("97369",), 5),
    ("Bellwether", ("97371",), 4),
)

CITY_TABLE: Table = tuple((name, weight) for name, _, weight in CITIES)
ZIP_CODES: dict[str, tuple[str, ...]] = {name: zips for name, zips, _ in CITIES}

# (formal, nickname): a clerk or a parent writing the everyday name instead of the formal one.
NICKNAMES: tuple[tuple[str, str], ...] = (
    ("William", "Bill"), ("William", "Will"), ("Robert", "Bob"), ("Robert", "Rob"), ("James", "Jim"),
    ("Michael", "Mike"), ("Joseph", "Joe"), ("Christopher", "Chris"), ("Matthew", "Matt"),
    ("Daniel", "Dan"), ("Benjamin", "Ben"), ("Alexander", "Alex"), ("Samuel", "Sam"), ("Thomas", "Tom"),
    ("Andrew", "Andy"), ("David", "Dave"), ("Jacob", "Jake"), ("Joshua", "Josh"), ("Nicholas", "Nick"),
    ("Anthony", "Tony"), ("Edward", "Ted"), ("Richard", "Rick"), ("Theodore", "Teddy"),
    ("Charles", "Charlie"), ("Zachary", "Zach"), ("Jonathan", "Jon"), ("Timothy", "Tim"),
    ("Steven", "Steve"), ("Kenneth", "Ken"), ("Gregory", "Greg"), ("José", "Pepe"), ("Francisco", "Paco"),
    ("Alejandro", "Alex"), ("Enrique", "Quique"), ("Guillermo", "Memo"), ("Ignacio", "Nacho"),
    ("Jesús", "Chuy"), ("Eduardo", "Lalo"), ("Manuel", "Manny"), ("Roberto", "Beto"),
    ("Elizabeth", "Liz"), ("Elizabeth", "Beth"), ("Katherine", "Kate"), ("Margaret", "Peggy"),
    ("Jennifer", "Jen"), ("Rebecca", "Becky"), ("Patricia", "Patty"), ("Susan", "Sue"),
    ("Deborah", "Debbie"), ("Samantha", "Sam"), ("Victoria", "Vicky"), ("Alexandra", "Alex"),
    ("Abigail", "Abby"), ("Jessica", "Jess"), ("Christina", "Tina"), ("Kimberly", "Kim"),
    ("Madeline", "Maddie"), ("Isabella", "Bella"), ("Josephine", "Josie"), ("Guadalupe", "Lupe"),
    ("Dolores", "Lola"), ("Dorothy", "Dot"),
)

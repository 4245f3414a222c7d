"""Stop words per analyzer language: words too common to find anything, left out of the search
index and out of queries (generator/analysis.py; tools/snowball_js.py copies them into
static/js/stem/<lang>.js, so the browser leaves out the same words).

Each list is the published one, word for word, except: entries our tokenizer would split (the
English list's "don't", "i'm" ...) are left out, since their parts are other words ("don" is a
name), and where a note says so. Chinese and Japanese have none: their text is indexed as
character pairs, where a particle is half of a pair rather than a word of its own.

Sources:
- en, fr, de, es, ru: the Snowball project's lists, https://snowballstem.org/algorithms/<name>/stop.txt
  (BSD licence, https://snowballstem.org/license.html), as Lucene ships them in
  lucene/analysis/common/src/resources/org/apache/lucene/analysis/snowball/<name>_stop.txt.
  Russian: left out are the content words a news reader searches for: человек, жизнь, сказал,
  сказала, сказать, говорил, хорошо, лучше, один, два, три.
- ar: Jacques Savoy's Arabic list (BSD licence, http://members.unine.ch/jacques.savoy/clef/),
  as Lucene ships it in lucene/analysis/common/src/resources/org/apache/lucene/analysis/ar/stopwords.txt.
- uk: Lucene's Ukrainian list, lucene/analysis/morfologik/src/resources/org/apache/lucene/
  analysis/uk/stopwords.txt (Apache licence 2.0). Snowball has no Ukrainian stemmer, so
  Ukrainian is folded and its stop words left out, nothing more.
"""

from __future__ import annotations

_EN = """
i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she
her hers herself it its itself they them their theirs themselves what which who whom this that
these those am is are was were be been being have has had having do does did doing would should
could ought a an the and but if or because as until while of at by for with about against
between into through during before after above below to from up down in out on off over under
again further then once here there when where why how all any both each few more most other
some such no nor not only own same so than too very cannot
"""

_FR = """
au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me même mes moi
mon ne nos notre nous on ou par pas pour qu que qui sa se ses sur ta te tes toi ton tu un une
vos votre vous c d j l à m n s t y étée étées étant suis es êtes sont serai seras sera serons
serez seront serais serait serions seriez seraient étais était étions étiez étaient fus fut
fûmes fûtes furent sois soit soyons soyez soient fusse fusses fussions fussiez fussent ayant eu
eue eues eus ai avons avez ont aurai aurons aurez auront aurais aurait aurions auriez auraient
avais avait aviez avaient eut eûmes eûtes eurent aie aies ait ayons ayez aient eusse eusses eût
eussions eussiez eussent ceci cela celà cet cette ici ils les leurs quel quels quelle quelles
sans soi
"""

_DE = """
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes
anderm andern anderr anders auch auf aus bei bin bis bist da damit dann der den des dem die das
daß derselbe derselben denselben desselben demselben dieselbe dieselben dasselbe dazu dein deine
deinem deinen deiner deines denn derer dessen dich dir du dies diese diesem diesen dieser dieses
doch dort durch ein eine einem einen einer eines einig einige einigem einigen einiger einiges
einmal er ihn ihm es etwas euer eure eurem euren eurer eures für gegen gewesen hab habe haben
hat hatte hatten hier hin hinter ich mich mir ihr ihre ihrem ihren ihrer ihres euch im in indem
ins ist jede jedem jeden jeder jedes jene jenem jenen jener jenes jetzt kann kein keine keinem
keinen keiner keines können könnte machen man manche manchem manchen mancher manches mein meine
meinem meinen meiner meines mit muss musste nach nicht nichts noch nun nur ob oder ohne sehr
sein seine seinem seinen seiner seines selbst sich sie ihnen sind so solche solchem solchen
solcher solches soll sollte sondern sonst über um und uns unse unsem unsen unser unses unter
viel vom von vor während war waren warst was weg weil weiter welche welchem welchen welcher
welches wenn werde werden wie wieder will wir wird wirst wo wollen wollte würde würden zu zum
zur zwar zwischen
"""

_ES = """
de la que el en y a los del se las por un para con no una su al lo como más pero sus le ya o
este sí porque esta entre cuando muy sin sobre también me hasta hay donde quien desde todo nos
durante todos uno les ni contra otros ese eso ante ellos e esto mí antes algunos qué unos yo
otro otras otra él tanto esa estos mucho quienes nada muchos cual poco ella estar estas algunas
algo nosotros mi mis tú te ti tu tus ellas nosotras vosotros vosotras os mío mía míos mías tuyo
tuya tuyos tuyas suyo suya suyos suyas nuestro nuestra nuestros nuestras vuestro vuestra
vuestros vuestras esos esas estoy estás está estamos estáis están esté estés estemos estéis
estén estaré estarás estará estaremos estaréis estarán estaría estarías estaríamos estaríais
estarían estaba estabas estábamos estabais estaban estuve estuviste estuvo estuvimos estuvisteis
estuvieron estuviera estuvieras estuviéramos estuvierais estuvieran estuviese estuvieses
estuviésemos estuvieseis estuviesen estando estad he has ha hemos habéis han haya hayas hayamos
hayáis hayan habré habrás habrá habremos habréis habrán habría habrías habríamos habríais
habrían había habías habíamos habíais habían hube hubiste hubo hubimos hubisteis hubieron
hubiera hubieras hubiéramos hubierais hubieran hubiese hubieses hubiésemos hubieseis hubiesen
habiendo habido habida habidos habidas soy eres es somos sois son sea seas seamos seáis sean
seré serás será seremos seréis serán sería serías seríamos seríais serían era eras éramos erais
eran fui fuiste fue fuimos fuisteis fueron fuera fueras fuéramos fuerais fueran fuese fueses
fuésemos fueseis fuesen siendo sido tengo tienes tiene tenemos tenéis tienen tenga tengas
tengamos tengáis tengan tendré tendrás tendrá tendremos tendréis tendrán tendría tendrías
tendríamos tendríais tendrían tenía tenías teníamos teníais tenían tuve tuviste tuvo tuvimos
tuvisteis tuvieron tuviera tuvieras tuviéramos tuvierais tuvieran tuviese tuvieses tuviésemos
tuvieseis tuviesen teniendo tenido tenida tenidos tenidas tened
"""

_RU = """
и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне
было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него
до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для
мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того
потому этого какой совсем ним здесь этом почти мой тем чтобы нее кажется сейчас были куда зачем
всех никогда сегодня можно при наконец об другой хоть после над больше тот через эти нас про
всего них какая много разве эту моя впрочем свою этой перед иногда чуть том нельзя такой им
более всегда конечно всю между
"""

_AR = """
من ومن منها منه في وفي فيها فيه و ف ثم او أو ب بها به ا أ اى اي أي أى لا ولا الا ألا إلا لكن
ما وما كما فما عن مع اذا إذا ان أن إن انها أنها إنها انه أنه إنه بان بأن فان فأن وان وأن وإن
التى التي الذى الذي الذين الى الي إلى إلي على عليها عليه اما أما إما ايضا أيضا كل وكل لم ولم
لن ولن هى هي هو وهى وهي وهو فهى فهي فهو انت أنت لك لها له هذه هذا تلك ذلك هناك كانت كان يكون
تكون وكانت وكان غير بعض قد نحو بين بينما منذ ضمن حيث الان الآن خلال بعد قبل حتى عند عندما
لدى جميع
"""

_UK = """
а аби абиде абиколи абикуди абихто абикого абикому абиким абичий абичийого абичиєму абичийому
абичиїм абичия абичиєї абичиїй абичию абичиєю абичиє абичиї абичиїх абичиїми абищо абичого
абичому абичим абиякий абиякого абиякому абияким абиякім абияка абиякої абиякій абияку абиякою
абияке абиякі абияких абиякими або абощо авжеж авось ага адже аж ажень але амінь ані аніде аніж
анізащо анікогісінько аніколи аніскільки аніхто анікого анікому аніким анічогісінько аніщо
анічого анічому анічим аніякий аніякого аніякому аніяким аніякім аніяка аніякої аніякій аніяку
аніякою аніяке аніякі аніяких аніякими аніякісенький аніякісенького аніякісенькому
аніякісеньким аніякісенькім аніякісенька аніякісенької аніякісенькій аніякісеньку
аніякісенькою аніякісеньке аніякісенькі аніякісеньких аніякісенькими аніякісінький
аніякісінького аніякісінькому аніякісіньким аніякісінькім аніякісінька аніякісінької
аніякісінькій аніякісіньку аніякісінькою аніякісіньке аніякісінькі аніякісіньких
аніякісінькими ану ато атож ач ачей аякже б ба багато багатьох багатьом багатьма без би біля бо
бодай бути будь будьмо будьте є єси суть буду будеш буде будем будемо будете будуть був була
було були буцім буцімто в ваш вашого вашому вашим вашім ваша вашої вашій вашу вашою ваше ваші
ваших вашими ввесь всього всьому всім вся всієї всій всю всією все всі всіх всіма вві весь
вздовж ви вас вам вами ві від відколи відповідно відтепер відтоді він його нього йому ним нім
ньому власне властиво внаслідок вона її неї їй нею ній вони їх них їм ними воно вподовж впоперек
впродовж всілякий всілякого всілякому всіляким всілякім всіляка всілякої всілякій всіляку
всілякою всіляке всілякі всіляких всілякими вслід всупереч всюди всякий всякого всякому всяким
всякім всяка всякої всякій всяку всякою всяке всякі всяких всякими всяк втім гаразд ге геть де
дедалі деінде декілька декількох декільком декількома деколи декотрий декотрого декотрому
декотрим декотрім декотра декотрої декотрій декотру декотрою декотре декотрі декотрих декотрими
десь дехто декого декому деким декім дечий дечийого дечиєму дечийому дечиїм дечия дечиєї
дечиїй дечию дечиєю дечиє дечиї дечиїх дечиїми дещо дечого дечому дечим дечім деякий деякого
деякому деяким деякім деяка деякої деякій деяку деякою деяке деякі деяких деякими для до
довкола доки допіру допоки досі дотепер доти еге ж же жодний жодного жодному жодним жоднім
жодна жодної жодній жодну жодною жодне жодні жодних жодними жоден жоднісінький жоднісінького
жоднісінькому жоднісіньким жоднісінькім жоднісінька жоднісінької жоднісінькій жоднісіньку
жоднісінькою жоднісіньке жоднісінькі жоднісіньких жоднісінькими з за завгодно завдяки завжди
завше задля залежно замість заради зараз зате зверху звідки звідкилясь звідкись звідкіль
звідкіля звідкілясь звідси звідсіль звідсіля звідти звідтіль звідтіля звідусіль звідусюди
звідціля здовж ззаду зі зо зсередини ич і ібн із ізсередини інакше інакший інакшого інакшому
інакшим інакшім інакша інакшої інакшій інакшу інакшою інакші інакших інакшими інколи іноді інше
іншого іншому іншим інший іншім інша іншої іншій іншу іншою інші інших іншими іще їхній їхнього
їхньому їхнім їхня їхньої їхню їхньою їхнє їхні їхніх їхніми й кілька кількох кільком кількома
кінець кожний кожного кожному кожним кожнім кожна кожної кожній кожну кожною кожне кожні кожних
кожними кожен кожнісінький кожнісінького кожнісінькому кожнісіньким кожнісінькім кожнісінька
кожнісінької кожнісінькій кожнісіньку кожнісінькою кожнісіньке кожнісінькі кожнісіньких
кожнісінькими коли колись коло котрий котрого котрому котрим котрім котра котрої котрій котру
котрою котре котрі котрих котрими котрийсь котрогось котромусь котримось котримсь котрімсь
котрась котроїсь котрійсь котрусь котроюсь котресь котрісь котрихось котрихсь котримись край
крізь крім круг кругом куди кудись кудою ледве ледь лиш лише лишень мерсі ми нас нам нами між
мій мого моєму моїм моя моєї моїй мою моєю моє мої моїх моїми мов мовби мовбито могти можіть
можу можеш може можем можемо можете можуть міг могла могло могли можна на навіть навіщо
навіщось навколо навкруг навпаки навперейми навпроти над наді надо наперед напередодні
наперекір напереріз наприкінці напроти насеред насупроти нате наче начеб начебто наш нашого
нашому нашим нашім наша нашої нашій нашу нашою наше наші наших нашими не неабищо неабичого
неабичому неабичим небагато небагатьох небагатьом небагатьма невважаючи невже незважаючи немов
немовби немовбито неначе неначебто нехай нижче ні ніби нібито ніде ніж нізащо нізвідки
нізвідкіля ніким нікогісінько нікого ніколи нікому нікотрий нікотрого нікотрому нікотрим
нікотрім нікотра нікотрої нікотрій нікотру нікотрою нікотре нікотрі нікотрих нікотрими нікуди
нінащо ніскільки ніхто нічий нічийого нічиєму нічийому нічиїм нічия нічиєї нічиїй нічию нічиєю
нічиє нічиї нічиїх нічиїми нічийний нічийного нічийному нічийним нічийнім нічийна нічийної
нічийній нічийну нічийною нічийне нічийні нічийних нічийними нічим нічого нічому ніщо ніяк
ніякий ніякого ніякому ніяким ніякім ніяка ніякої ніякій ніяку ніякою ніяке ніякі ніяких
ніякими ніякісінький ніякісінького ніякісінькому ніякісіньким ніякісінькім ніякісінька
ніякісінької ніякісінькій ніякісіньку ніякісінькою ніякісіньке ніякісінькі ніякісіньких
ніякісінькими но ну нумо нумте о об обабіч обік обіч од один одного одному одним однім одна
однієї одної одній одну однією одною одне одно одні одних одними однак одначе окрай окрім
округ округи он онде онно оно опісля опріч осе осісьо оскільки ось от отак отакий отакого
отакому отаким отакім отака отакої отакій отаку отакою отаке отакі отаких отакими отакісінький
отакісінького отакісінькому отакісіньким отакісінькім отакісінька отакісінької отакісінькій
отакісіньку отакісінькою отакісіньке отакісінькі отакісіньких отакісінькими отам отже ото
отож отой отого отому отим отім ота отієї отої отій оту отією отою оте оті отих отими отсе
оттак отто отут оце оцей оцього оцьому оцим оцім оця оцієї оцій оцю оцією оці оцих оцими пак
перед перетакий перетакого перетакому перетаким перетакім перетака перетакої перетакій
перетаку перетакою перетаке перетакі перетаких перетакими під підо після по побік побіч
поблизу поверх повз повздовж повсюди повсюдно подекуди подеякий подеякого подеякому подеяким
подеякім подеяка подеякої подеякій подеяку подеякою подеяке подеякі подеяких подеякими подовж
поза позад позаду позатой позатого позатому позатим позатім позата позатієї позатої позатій
позату позатією позатою позате позаті позатих позатими позаяк поздовж поки покіль покрай поміж
понад понадо понижче поперед попереду поперек попід попліч попри попросту поруч поряд посеред
посередині потім поуз прецінь при притому причім причому про проміж просто проте проти
протягом раз раніше сам самого самому самим самім сама самої самій саму самою саме само сами
самі самих самими самий свій свого своєму своїм своя своєї своїй свою своєю своє свої своїх
своїми се себе собі собою себто серед сиріч скільки скількох скільком скількома скількись
скількохось скількохсь скількомось скількомсь скількомась скрізь спереду справді стільки
стількох стільком стількома супроти супротив сюди сякий сякого сякому сяким сякім сяка сякої
сякій сяку сякою сяке сякі сяких сякими та так такенний такенного такенному такенним такеннім
такенна такенної такенній такенну такенною такенне такенні такенних такенними таки такий
такого такому таким такім така такої такій таку такою таке такі таких такими такісінький
такісінького такісінькому такісіньким такісінькім такісінька такісінької такісінькій
такісіньку такісінькою такісіньке такісінькі такісіньких такісінькими також там тамки тамтой
тамтого тамтому тамтим тамтім тамта тамтієї тамтої тамтій тамту тамтією тамтою тамте тамті
тамтих тамтими твій твого твоєму твоїм твоя твоєї твоїй твою твоєю твоє твої твоїх твоїми те
того тому тим тім теє теж тепер теперечки ти тебе тобі тобою тільки то тобто тоді тож той тієї
тої тій ту тією тою ті тих тими тощо туди тудою тут тутеньки тутечки тутки у ув увесь усього
усьому усім уся усієї усій усю усією усе усі усіх усіма уві угу уздовж унаслідок уподовж
упоперек упродовж усілякий усілякого усілякому усіляким усілякім усіляка усілякої усілякій
усіляку усілякою усіляке усілякі усіляких усілякими услід усупереч усюди усякий усякого
усякому усяким усякім усяка усякої усякій усяку усякою усяке усякі усяких усякими усяк утім
хай хіба хоч хоча хто кого кому ким кім хтось когось комусь кимось кимсь кімось кімсь це цього
цьому цим цім цебто цей ця цієї цій цю цією ці цих цими чень через чи чий чийого чиєму чийому
чиїм чия чиєї чиїй чию чиєю чиє чиї чиїх чиїми чийсь чийогось чиємусь чийомусь чиїмось чиїмсь
чиясь чиєїсь чиїйсь чиюсь чиєюсь чиєсь чиїсь чиїхось чиїхсь чиїмись чому чомусь чортзна шляхом
ще що чого віщо чим чім щоб щоби щодо щойно щоправда щось чогось віщось чимось чимсь чімось
чімсь я мене мені мною як якби який якого якому яким якім яка якої якій яку якою яке які яких
якими якийсь якогось якомусь якимось якимсь якімсь якась якоїсь якійсь якусь якоюсь якесь
якісь якихось якихсь якимись якось якраз якщо
"""

STOP_WORDS: dict[str, tuple[str, ...]] = {
    lang: tuple(dict.fromkeys(words.split()))  # in the list's order, each once
    for lang, words in (("en", _EN), ("fr", _FR), ("de", _DE), ("es", _ES), ("ru", _RU),
                        ("ar", _AR), ("uk", _UK))
}
"""Language code -> its stop words as published (lower case, accents as written)."""

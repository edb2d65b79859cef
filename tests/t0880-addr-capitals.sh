#!/bin/sh
# Address standardization puts letters in capitals whatever their script
# (Almuñécar is ALMUÑÉCAR), by table, whatever the locale: the same under
# cron with no LANG as at a terminal; names keep their case.
. "$(dirname "$0")/lib.sh"

catalog
# order NAME LINE1 CITY REGION ZIP COUNTRY: adds an order, prints its ID.
order() {
	printf 'ship_to: {name: "%s", line1: "%s", city: "%s", region: "%s", postal_code: "%s", country: "%s"}\npayment: {method: invoice}\nlines: [{sku: A1, qty: 1}]\n' \
		"$1" "$2" "$3" "$4" "$5" "$6" >o.yaml
	oms-add <o.yaml
}
es=$(order "José Muñoz" "Calle Mayor 1" "Almuñécar" "Granada" 18690 ES)
de=$(order "Jörg Weiß" "Hauptstraße 5" "Weißenburg" "" 91781 DE)
gr=$(order "Νίκος" "Οδός Ερμού 10" "Αθήνα" "" "105 63" GR)
ru=$(order "Иван" "ул. Тверская 1" "Москва" "" 125009 RU)
us=$(order "Ana Peña" "12 Cañon Rd" "Cañon City" CO 81212 US)
run env -u LANG -u LC_ALL -u LC_CTYPE oms-verify-addr -n $es $de $gr $ru $us
expect 0 "$es	verify	city: Almuñécar -> ALMUÑÉCAR; region: Granada -> GRANADA
$de	verify	city: Weißenburg -> WEISSENBURG
$gr	verify	city: Αθήνα -> ΑΘΉΝΑ
$ru	verify	city: Москва -> МОСКВА
$us	verify	line1: 12 Cañon Rd -> 12 CAÑON RD; city: Cañon City -> CAÑON CITY" "" \
	"Latin, Greek and Cyrillic letters in capitals, sharp s as SS, with no locale set"
run oms-verify-addr -q $es $us
is "$(sql "SELECT std_name, std_city FROM orders WHERE id IN ($es, $us) ORDER BY id")" "José Muñoz|ALMUÑÉCAR
Ana Peña|CAÑON CITY" "stored so; names as they were given"

done_testing
